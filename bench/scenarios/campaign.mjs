// Issue 6: a 10,000-recipient EngageLab send (`to` an array, which makes a campaign) on one number whose throughput is set to 200/s must
// sustain ≥ 95% of that rate from its first to its last message, with 0 duplicates, 0 lost and
// exactly 10,000 charges; and the same when the consumer dies on 5% of the chunks
// (CHAOS_SEND_BATCH_FAILURE_RATE=0.05, then the queue retries the chunk).
// Sandbox sends are free by default: SANDBOX_CHARGES=true prices them at the seeded marketing
// price (USD 0.05), so every charge is a real ledger entry. Debits are counted: the recipient
// ending 0000 (the sandbox's "not on WhatsApp") fails after it was charged and is refunded once,
// its statuses taking Meta's path (the refund is a credit entry beside its debit).
import { json, startGateway } from "../lib.mjs";

export const RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 10_000);
const RATE = Number(process.env.BENCH_CAMPAIGN_RATE ?? 200);
const PRICE_CENTS = 5;

async function setup(gateway) {
  const tk = (body, token) => json(`${gateway.url}/tokabola/v1/`, body, token ? { Authorization: `Bearer ${token}` } : {});
  const { id_user, key_user } = (await tk({ type: "signup", signup: { name: `Bench campaign ${Date.now()}` } })).data;
  const token = (await tk({ type: "token", token: { id_user, key_user } })).data.token;
  const number = `81${String(Date.now()).slice(-7)}`;
  const pnid = (await tk({ type: "add", add: { cc: "243", phone_number: number, phone_name: "Bench Shop", language: "fr_FR" } }, token)).data.phone_number_id;
  await tk({ type: "number", number: { method: "ask_code", phone_number_id: pnid, otp_type: "SMS", language: "fr_FR" } }, token);
  await tk({ type: "number", number: { method: "verify", phone_number_id: pnid, otp_code: "123456" } }, token);
  // No template route exists yet: the template and the deposit go straight into the local D1.
  await gateway.sql(
    `INSERT INTO templates (id, account_id, waba_id, name, language, category, status, components, created_at, updated_at)
     VALUES ('tpl_bench', '${id_user}', '100000000000000', 'promo_bench', 'fr', 'MARKETING', 'APPROVED', '[{"type":"BODY","text":"Bonjour {{1}}, -20 % cette semaine."}]', 0, 0);
     INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, created_at) VALUES ('${id_user}', 'USD', ${RECIPIENTS * PRICE_CENTS}, 'deposit', 'deposit:bench', 0);`,
  );
  const auth = { Authorization: `Bearer ${token}` };
  const put = await fetch(`${gateway.url}/api/v1/numbers/${pnid}/throughput`, {
    method: "PUT",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ messages_per_second: RATE }),
  });
  if (!put.ok) throw new Error(`throughput: ${put.status} ${await put.text()}`);
  return { accountId: id_user, auth, pnid };
}

export async function runCampaign(title, vars, port) {
  const gateway = await startGateway({ port, vars: { SANDBOX_CHARGES: "true", STEP_DELAY_MS: "0", ...vars } });
  try {
    const { accountId, auth } = await setup(gateway);
    // The EngageLab way: POST /engagelab/v1/messages with `to` an array of 10,000 (Basic dev_key:dev_secret), from the account's one number.
    const key = await json(`${gateway.url}/api/v1/engagelab/keys`, {}, auth);
    const basic = { Authorization: `Basic ${Buffer.from(`${key.dev_key}:${key.dev_secret}`).toString("base64")}` };
    const to = Array.from({ length: RECIPIENTS }, (_, i) => `2438${String(10_000_000 + i).padStart(8, "0")}`);
    const template = { name: "promo_bench", language: "fr", components: [{ type: "body", parameters: [{ type: "text", text: "Amina" }] }] };
    const requested = Date.now();
    const answer = await json(`${gateway.url}/engagelab/v1/messages`, { to, request_id: `bench-${Date.now()}`, body: { type: "template", template } }, basic);
    const answeredMs = Date.now() - requested;
    const created = await (await fetch(`${gateway.url}/api/v1/campaigns/${answer.message_id}`, { headers: auth })).json();
    let view = created;
    const deadline = Date.now() + 15 * 60_000;
    while (view.state !== "done" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      view = await (await fetch(`${gateway.url}/api/v1/campaigns/${created.id}`, { headers: auth })).json();
    }
    const [r] = await gateway.sql(
      `SELECT COUNT(*) AS recipients, SUM(state = 'sent') AS sent, SUM(state != 'sent') AS not_sent, SUM(calls) AS calls, SUM(calls > 1) AS called_twice,
              (SELECT COUNT(*) FROM messages WHERE account_id = '${accountId}') AS messages,
              (SELECT COUNT(DISTINCT wamid) FROM messages WHERE account_id = '${accountId}') AS wamids,
              (SELECT COUNT(*) FROM ledger_entries WHERE account_id = '${accountId}' AND reason = 'hold' AND amount < 0) AS charges,
              (SELECT -SUM(amount) FROM ledger_entries WHERE account_id = '${accountId}' AND reason = 'hold' AND amount < 0) AS charged
       FROM campaign_recipients WHERE campaign_id = '${created.id}'`,
    );
    const perSecond = await gateway.sql(
      `SELECT (sent_at - (SELECT MIN(sent_at) FROM campaign_recipients WHERE campaign_id = '${created.id}')) / 1000 AS second, COUNT(*) AS n
       FROM campaign_recipients WHERE campaign_id = '${created.id}' AND sent_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const durationS = (Date.parse(view.last_sent_at) - Date.parse(view.first_sent_at)) / 1000;
    const deaths = (gateway.logs().match(/chaos: the consumer/g) ?? []).length;
    return { title, view, answeredMs, durationS, deaths, perSecond: perSecond.map((p) => p.n), ...r };
  } finally {
    gateway.stop();
  }
}

export async function campaign() {
  const runs = [
    await runCampaign(`EngageLab send to ${RECIPIENTS} at ${RATE}/s`, {}, 8798),
    await runCampaign(`EngageLab send to ${RECIPIENTS} at ${RATE}/s, consumer dies on 5% of chunks`, { CHAOS_SEND_BATCH_FAILURE_RATE: "0.05" }, 8799),
  ];
  const checks = [];
  const rows = [];
  for (const run of runs) {
    const rate = run.view.rate_per_second ?? 0;
    rows.push({ title: run.title, requests: run.sent, rps: rate, p50_ms: "–", p99_ms: "–" });
    console.log(JSON.stringify(run));
    checks.push(
      {
        target: `${run.title}: rate first→last ≥ 95% of ${RATE}/s`,
        measured: `${rate}/s over ${run.durationS.toFixed(1)} s (${((rate / RATE) * 100).toFixed(1)}%), slowest full second ${Math.min(...run.perSecond.slice(0, -1))}, fastest ${Math.max(...run.perSecond)}; POST answered in ${run.answeredMs} ms`,
        met: rate >= 0.95 * RATE,
      },
      { target: `${run.title}: 0 duplicates`, measured: `${run.calls - run.sent} extra upstream calls, ${run.messages - run.wamids} repeated wamids`, met: run.calls === run.sent && run.messages === run.wamids },
      { target: `${run.title}: 0 lost`, measured: `${run.sent} of ${RECIPIENTS} sent, ${run.not_sent} not; campaign ${run.view.state}; ${run.deaths} chunk(s) died and were retried`, met: run.sent === RECIPIENTS && run.not_sent === 0 },
      { target: `${run.title}: exactly ${RECIPIENTS} charges`, measured: `${run.charges} ledger debits, USD ${(run.charged / 100).toFixed(2)}`, met: run.charges === RECIPIENTS && run.charged === RECIPIENTS * PRICE_CENTS },
    );
  }
  return { rows, checks };
}
