// Issue 13 through Meta mode, each on a fresh gateway:
// - Meta intake: signed status payloads/s beside the bare route in the same run (alternating
//   rounds), and the ack's p99;
// - statuses: a campaign at 80 msg/s for BENCH_STATUS_SECONDS (60) against the Meta stand-in,
//   which posts sent, delivered and read for each accepted send, signed with the app secret, with
//   Meta's chaos (a few duplicated, shuffled, some before the send's answer). Counted: messages
//   that do not end `read` (lost statuses), client webhook deliveries per (message, status) at a
//   native endpoint, and the time from the stand-in's POST to the client's delivery.
import { createServer } from "node:http";
import { GRAPH_APP_SECRET } from "../../test/fakes/graph.ts";
import { json, warm } from "../lib.mjs";
import { metaAccount, startCampaign, startMetaGateway, startStandin, waitDone } from "../meta.mjs";
import { metaIntake } from "./intake.mjs";

const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 60);
const RATE = 80;
const CHAOS = { duplicate: 0.02, shuffle: true, early: 0.05 };

/**
 * Meta intake on a fresh gateway, twice: with the INBOUND consumer detached (the route's own
 * cost — in production the consumer runs in invocations of its own, while locally it would share
 * the route's one workerd thread), and with it attached (the whole pipeline on that one thread).
 * The targets are checked on the first; the second is reported beside it.
 */
export async function metaIntakeFresh(ctx) {
  const detached = await intakeOn(ctx, 8820, ["tuma-inbound"], "INBOUND consumer detached");
  const attached = await intakeOn(ctx, 8822, [], "INBOUND consumer on the same local thread");
  const [bareRow, route] = detached.rows;
  const [attachedBare, attachedRoute] = attached.rows;
  return {
    rows: [...detached.rows, ...attached.rows],
    checks: [
      { target: "Meta intake ≥ 60% of the bare route's req/s (same run; consumer detached)", measured: `${route.rps} payloads/s beside ${bareRow.rps} req/s (medians; ${detached.checks[0].measured.split("= ")[1]})`, met: detached.throughputRatio >= 0.6 },
      { target: "Meta intake ack p99 ≤ 2× the bare route's (consumer detached)", measured: `${route.p99_ms} ms beside ${bareRow.p99_ms} ms (${detached.checks[1].measured.split(", ")[1]})`, met: route.p99_ms <= 2 * bareRow.p99_ms },
      { target: "For comparison: Meta intake with its consumer on the same local thread", measured: `${attachedRoute.rps} payloads/s beside ${attachedBare.rps} req/s (${attached.checks[0].measured.split("= ")[1]}); ack p99 ${attachedRoute.p99_ms} ms beside ${attachedBare.p99_ms} ms`, met: true },
    ],
  };
}

async function intakeOn(ctx, port, detach, label) {
  const gateway = await startMetaGateway(port, `http://127.0.0.1:${port + 1}`, {}, detach);
  try {
    const bare = { ...ctx.bare, url: `${gateway.url}/ping` };
    await warm(bare.url);
    const out = await metaIntake({ ...ctx, url: gateway.url, bare, appSecret: GRAPH_APP_SECRET });
    return { ...out, rows: out.rows.map((r) => ({ ...r, title: `${r.title} [Meta mode, fresh gateway, ${label}]` })) };
  } finally {
    gateway.stop();
  }
}

/** A client's webhook: counts each (wamid, status) it receives and when it first did. */
async function startSink(port) {
  const got = new Map();
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString());
      if (event.type === "message.status") {
        const key = `${event.status.wamid}:${event.status.status}`;
        const seen = got.get(key);
        got.set(key, { n: (seen?.n ?? 0) + 1, at: seen?.at ?? Date.now() });
      }
    } catch {
      // not JSON: counted nowhere
    }
    res.writeHead(200).end();
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/hook`, got, stop: () => server.close() };
}

const p = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
};

export async function metaStatuses() {
  const total = RATE * SECONDS;
  const gatewayPort = 8830;
  const sink = await startSink(8832);
  const posted = new Map();
  // Statuses go straight to the gateway's intake; the first POST of each (wamid, status) is timed.
  const deliver = async (request) => {
    const item = JSON.parse(await request.clone().text()).entry[0].changes[0].value.statuses[0];
    const key = `${item.id}:${item.status}`;
    if (!posted.has(key)) posted.set(key, Date.now());
    return fetch(request);
  };
  const standin = await startStandin({ port: gatewayPort + 1, ratePerSecond: RATE, chaos: CHAOS, webhookUrl: `http://127.0.0.1:${gatewayPort}/webhooks/meta`, deliver });
  const gateway = await startMetaGateway(gatewayPort, standin.url);
  try {
    const { accountId, auth, pnids } = await metaAccount(gateway, { numbers: 1, mps: RATE, recipients: total });
    await json(`${gateway.url}/api/v1/webhooks`, { url: sink.url }, auth);
    const id = await startCampaign(gateway, auth, pnids[0], total);
    const view = await waitDone(gateway, auth, id);
    // Let the statuses drain: until every posted status reached the client, 30 s without progress,
    // or BENCH_STATUS_DRAIN_SECONDS (180) in all; what has not arrived by then counts as not delivered.
    const drainUntil = Date.now() + Number(process.env.BENCH_STATUS_DRAIN_SECONDS ?? 180) * 1000;
    let last = -1;
    for (let idle = 0; idle < 30 && Date.now() < drainUntil; ) {
      await new Promise((r) => setTimeout(r, 1000));
      await standin.standin.idle();
      if (sink.got.size === last) idle++;
      else idle = 0;
      last = sink.got.size;
      if (sink.got.size >= total * 3) break;
    }
    const byStatus = await gateway.sql(`SELECT status, COUNT(*) AS n FROM messages WHERE account_id = '${accountId}' GROUP BY status`);
    const c = standin.standin.counters;
    const deliveries = [...sink.got.values()];
    const latencies = [...sink.got.entries()].filter(([k]) => posted.has(k)).map(([k, v]) => v.at - posted.get(k));
    const m = {
      total,
      view,
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      posts: c.statusesPosted,
      rejected: c.statusesRejected,
      distinctPosted: posted.size,
      delivered: { distinct: sink.got.size, once: deliveries.filter((d) => d.n === 1).length, more: deliveries.filter((d) => d.n > 1).length },
      p50: p(latencies, 0.5),
      p99: p(latencies, 0.99),
    };
    console.log(JSON.stringify(m));
    const read = m.byStatus.read ?? 0;
    const rate = view.rate_per_second ?? 0;
    return {
      rows: [{ title: `Meta statuses: campaign at ${RATE}/s for ${SECONDS} s, 3 statuses each`, requests: m.posts, rps: rate, p50_ms: m.p50 ?? "–", p99_ms: m.p99 ?? "–" }],
      checks: [
        { target: `Meta statuses, ${total} messages at ${RATE}/s: every message ends read (0 statuses lost)`, measured: `${read} of ${total} read; by status ${JSON.stringify(m.byStatus)}; ${m.posts} status POSTs (${m.distinctPosted} distinct, ${m.rejected} not acknowledged); sends at ${rate}/s`, met: read === total },
        { target: "Meta statuses: every status delivered once to the client webhook", measured: `${m.delivered.distinct} of ${m.distinctPosted} (message, status) pairs delivered, ${m.delivered.once} once, ${m.delivered.more} more than once`, met: m.delivered.distinct === m.distinctPosted && m.delivered.more === 0 },
        { target: "Meta statuses: Meta's POST → client delivery p99 ≤ 5 s", measured: `p50 ${m.p50} ms, p99 ${m.p99} ms over ${latencies.length} deliveries`, met: m.p99 !== null && m.p99 <= 5000 },
      ],
    };
  } finally {
    gateway.stop();
    standin.stop();
    sink.stop();
  }
}
