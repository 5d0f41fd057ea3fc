// The bench's Meta: the stand-in of test/fakes/meta-standin.ts (200 ms ± 25 % per send, a bucket per
// number answering 130429, the pair limit answering 131056, signed status webhooks) served by a
// Node HTTP server, with test/fakes/graph.ts answering everything that is not a send (adding and
// verifying numbers). And a gateway in Meta mode pointed at it, with production's connection cap
// emulated (EMULATE_CONNECTION_CAP). Node 24 runs the TypeScript fakes as they are.
import { createServer } from "node:http";
import { GRAPH_APP_SECRET, GRAPH_TOKEN, GRAPH_WABA_ID, graphFake } from "../test/fakes/graph.ts";
import { MetaStandin } from "../test/fakes/meta-standin.ts";
import { seededRandom } from "../test/fakes/meta-standin-statuses.ts";
import { json, startGateway } from "./lib.mjs";

const FORWARDED = ["authorization", "content-type", "x-invocation"];

/** Starts the stand-in on `port`; `calls` counts the sends per (number, recipient), `accepted` those Meta accepted. */
export async function startStandin({ port, webhookUrl, ratePerSecond = 80, chaos, deliver, seed = 13 }) {
  const standin = new MetaStandin({ webhookUrl, ratePerSecond, chaos, deliver, random: seededRandom(seed) });
  const calls = new Map();
  const accepted = new Map();
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(FORWARDED.filter((h) => req.headers[h]).map((h) => [h, String(req.headers[h])]));
    const request = new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
    const [, pnid, edge] = new URL(request.url).pathname.split("/").filter(Boolean);
    let response;
    if (req.method === "POST" && edge === "messages") {
      const to = JSON.parse(body.toString()).to;
      const key = `${pnid}:${String(to).replace(/^\+/, "")}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      response = await standin.handle(request);
      if (response.ok) accepted.set(key, (accepted.get(key) ?? 0) + 1);
    } else response = await graphFake(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, standin, calls, accepted, stop: () => server.close() };
}

/** A fresh gateway in Meta mode against the stand-in at `graphUrl`. */
export function startMetaGateway(port, graphUrl, vars = {}, detach = []) {
  return startGateway({
    port,
    detach,
    vars: {
      WHATSAPP_UPSTREAM: "meta",
      META_GRAPH_URL: graphUrl,
      META_ACCESS_TOKEN: GRAPH_TOKEN,
      META_APP_SECRET: GRAPH_APP_SECRET,
      META_VERIFY_TOKEN: "bench-verify-token",
      META_WABA_ID: GRAPH_WABA_ID,
      WEBHOOK_SIGNING_KEY: "bench-webhook-signing-key-0123456789",
      MOBILE_MONEY: "pawapay",
      PAWAPAY_API_TOKEN: "bench-pawapay-token",
      EMULATE_CONNECTION_CAP: "true",
      STEP_DELAY_MS: "0",
      // BENCH_MESSAGE_LOG=durable measures with each number's log in its Durable Object.
      ...(process.env.BENCH_MESSAGE_LOG ? { MESSAGE_LOG: process.env.BENCH_MESSAGE_LOG } : {}),
      ...vars,
    },
  });
}

export const PRICE_CENTS = 5; // the seeded marketing price, USD 0.05

/** An account with `numbers` READY Meta numbers at `mps` each, a MARKETING template and funds for `recipients` sends. */
export async function metaAccount(gateway, { numbers = 1, mps = 80, recipients }) {
  const tk = (body, token) => json(`${gateway.url}/tokabola/v1/`, body, token ? { Authorization: `Bearer ${token}` } : {});
  const { id_user, key_user } = (await tk({ type: "signup", signup: { name: `Bench Meta ${Date.now()}` } })).data;
  const token = (await tk({ type: "token", token: { id_user, key_user } })).data.token;
  const auth = { Authorization: `Bearer ${token}` };
  const pnids = [];
  for (let i = 0; i < numbers; i++) {
    const number = `81${String(Date.now() + i).slice(-6)}${i}`;
    const pnid = (await tk({ type: "add", add: { cc: "243", phone_number: number, phone_name: "Bench Shop", language: "fr_FR" } }, token)).data.phone_number_id;
    await tk({ type: "number", number: { method: "ask_code", phone_number_id: pnid, otp_type: "SMS", language: "fr_FR" } }, token);
    await tk({ type: "number", number: { method: "verify", phone_number_id: pnid, otp_code: "123456" } }, token);
    pnids.push(pnid);
  }
  await gateway.sql(
    `INSERT INTO templates (id, account_id, waba_id, name, language, category, status, components, created_at, updated_at)
     VALUES ('tpl_bench', '${id_user}', '${GRAPH_WABA_ID}', 'promo_bench', 'fr', 'MARKETING', 'APPROVED', '[{"type":"BODY","text":"Bonjour {{1}}, -20 % cette semaine."}]', 0, 0);
     INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, created_at) VALUES ('${id_user}', 'USD', ${recipients * PRICE_CENTS}, 'deposit', 'deposit:bench', 0);`,
  );
  for (const pnid of pnids) {
    for (let tries = 0; ; tries++) {
      const put = await fetch(`${gateway.url}/api/v1/numbers/${pnid}/throughput`, { method: "PUT", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ messages_per_second: mps }) });
      if (put.ok) break;
      if (tries > 20) throw new Error(`throughput: ${put.status} ${await put.text()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { accountId: id_user, auth, pnids };
}

const nth = (i) => `2438${String(10_000_000 + i).padStart(8, "0")}`;

/** Starts a native campaign of `count` recipients (numbered from `offset`) from `pnid`; answers its id. */
export async function startCampaign(gateway, auth, pnid, count, offset = 0) {
  const recipients = Array.from({ length: count }, (_, i) => nth(offset + i));
  const created = await json(`${gateway.url}/api/v1/campaigns`, { phone_number_id: pnid, template: { name: "promo_bench", language: "fr" }, parameters: ["Amina"], recipients }, auth);
  return created.id;
}

export async function waitDone(gateway, auth, id, limitMs = 15 * 60_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const view = await (await fetch(`${gateway.url}/api/v1/campaigns/${id}`, { headers: auth })).json();
    if (view.state === "done" || Date.now() > deadline) return view;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
