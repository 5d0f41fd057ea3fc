// Issue 14: campaigns through the Meta adapter against the Meta stand-in (200 ms ± 25 % per send,
// its bucket at the number's rate), production's 6 connections per invocation emulated. Each run
// on a fresh gateway and a fresh stand-in. Statuses are not posted here (the status run measures
// them): these runs measure the send path alone.
// BENCH_META_SCALE=0.2 runs every campaign at a fifth of its size (quick runs).
import { writeFileSync } from "node:fs";
import { metaAccount, PRICE_CENTS, startCampaign, startMetaGateway, startStandin, waitDone } from "../meta.mjs";

const SCALE = Number(process.env.BENCH_META_SCALE ?? 1);

const RUNS = [
  { title: "one number at 80/s", numbers: 1, mps: 80, recipients: 10_000 },
  { title: "one number at 1,000/s", numbers: 1, mps: 1000, recipients: 10_000 },
  { title: "five numbers at 80/s each, at once", numbers: 5, mps: 80, recipients: 2_000 },
  // A consumer dies midway through 5 % of chunk deliveries; the queue's retry sends what is left.
  { title: "one number at 80/s, 5 % of chunk consumers die", numbers: 1, mps: 80, recipients: 5_000, vars: { CHAOS_SEND_BATCH_FAILURE_RATE: "0.05" }, floor: 0.9 },
];

async function measure(run, port) {
  const size = Math.round(run.recipients * SCALE);
  const standin = await startStandin({ port: port + 1, ratePerSecond: run.mps });
  const gateway = await startMetaGateway(port, standin.url, run.vars);
  try {
    const { accountId, auth, pnids } = await metaAccount(gateway, { numbers: run.numbers, mps: run.mps, recipients: size * run.numbers });
    const started = Date.now();
    const ids = await Promise.all(pnids.map((pnid, i) => startCampaign(gateway, auth, pnid, size, i * size)));
    const answeredMs = Date.now() - started;
    const views = await Promise.all(ids.map((id) => waitDone(gateway, auth, id)));
    const campaigns = [];
    for (const [i, id] of ids.entries()) {
      const [r] = await gateway.sql(
        `SELECT COUNT(*) AS recipients, SUM(state = 'sent') AS sent, SUM(state != 'sent') AS not_sent, SUM(calls) AS calls FROM campaign_recipients WHERE campaign_id = '${id}'`,
      );
      const perSecond = await gateway.sql(
        `SELECT (sent_at - (SELECT MIN(sent_at) FROM campaign_recipients WHERE campaign_id = '${id}')) / 1000 AS second, COUNT(*) AS n
         FROM campaign_recipients WHERE campaign_id = '${id}' AND sent_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      const calledAtMeta = [...standin.calls.entries()].filter(([k]) => k.startsWith(`${pnids[i]}:`)).map(([, n]) => n);
      const acceptedAtMeta = [...standin.accepted.entries()].filter(([k]) => k.startsWith(`${pnids[i]}:`)).map(([, n]) => n);
      campaigns.push({ pnid: pnids[i], view: views[i], ...r, perSecond: perSecond.map((p) => p.n), metaCalls: calledAtMeta.reduce((a, b) => a + b, 0), calledTwice: calledAtMeta.filter((n) => n > 1).length, reachedMeta: calledAtMeta.length, acceptedTwice: acceptedAtMeta.filter((n) => n > 1).length, acceptedAtMeta: acceptedAtMeta.length });
    }
    const [money] = await gateway.sql(
      `SELECT COUNT(*) AS charges, COALESCE(-SUM(amount), 0) AS charged FROM ledger_entries WHERE account_id = '${accountId}' AND reason = 'hold'`,
    );
    const c = standin.standin.counters;
    const perInvocation = Object.values(c.maxConcurrentByInvocation);
    return { ...run, size, answeredMs, campaigns, ...money, standin: { accepted: c.accepted, throughputRefused: c.throughputRefused, pairRefused: c.pairRefused, maxConcurrent: c.maxConcurrent, invocations: perInvocation.length, maxPerInvocation: Math.max(0, ...perInvocation), unnamed: c.maxConcurrentByInvocation[""] ?? 0 } };
  } finally {
    gateway.stop();
    standin.stop();
  }
}

export async function metaCampaigns() {
  const only = process.env.BENCH_META_RUNS?.split(",").map(Number);
  const rows = [];
  const checks = [];
  const measured = [];
  for (const [i, run] of RUNS.entries()) {
    if (only && !only.includes(i)) continue;
    const m = await measure(run, 8810 + 2 * i);
    measured.push(m);
    // Every run in full (sends per second included) beside the report.
    writeFileSync(`bench/report-meta-campaigns${only ? `-${only.join("-")}` : ""}.json`, JSON.stringify(measured, null, 1) + "\n");
    for (const [n, c] of m.campaigns.entries()) {
      const label = `Meta campaign, ${run.title}, ${m.size} recipients${m.numbers > 1 ? ` (number ${n + 1})` : ""}`;
      const rate = c.view.rate_per_second ?? 0;
      const full = c.perSecond.slice(0, -1);
      rows.push({ title: label, requests: c.sent, rps: rate, p50_ms: "–", p99_ms: "–" });
      checks.push(
        {
          target: `${label}: rate first→last ≥ ${(run.floor ?? 0.95) * 100}% of ${run.mps}/s`,
          measured: `${rate}/s over ${((Date.parse(c.view.last_sent_at) - Date.parse(c.view.first_sent_at)) / 1000).toFixed(1)} s = ${((rate / run.mps) * 100).toFixed(1)}% of ${run.mps}/s; slowest full second ${full.length ? Math.min(...full) : "–"}, fastest ${Math.max(...c.perSecond)}; created in ${m.answeredMs} ms`,
          met: rate >= (run.floor ?? 0.95) * run.mps,
        },
        {
          target: `${label}: 0 duplicates at Meta (a recipient accepted twice)`,
          measured: `${c.acceptedTwice} recipients accepted more than once, ${c.acceptedAtMeta} accepted in all; ${c.calledTwice} called again after a refusal or timeout (${c.metaCalls} calls for ${c.reachedMeta} recipients)`,
          met: c.acceptedTwice === 0,
        },
        { target: `${label}: 0 lost`, measured: `${c.sent} of ${m.size} sent, ${c.not_sent} not; campaign ${c.view.state}`, met: c.sent === m.size && c.not_sent === 0 },
      );
    }
    const expected = m.size * m.numbers;
    checks.push(
      { target: `Meta campaign, ${run.title}: charges = recipients × price`, measured: `${m.charges} debits, USD ${(m.charged / 100).toFixed(2)} for ${expected} × USD 0.05`, met: m.charges === expected && m.charged === expected * PRICE_CENTS },
      {
        target: `Meta campaign, ${run.title}: ≤ 6 sends waiting per invocation`,
        measured: `at most ${m.standin.maxPerInvocation} in one invocation, over ${m.standin.invocations} invocations; ${m.standin.maxConcurrent} open at once in all; ${m.standin.throughputRefused} × 130429, ${m.standin.pairRefused} × 131056`,
        met: m.standin.maxPerInvocation <= 6 && m.standin.unnamed === 0,
      },
    );
  }
  return { rows, checks };
}
