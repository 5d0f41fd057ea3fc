import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { GRAPH_APP_SECRET } from "../fakes/graph";
import { hubSignature } from "../fakes/meta-standin-statuses";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE } from "../helpers";
import { Harness, createNativeEndpoint, sinkKey, sinkLog, statusPayload } from "../inbound/harness";
import { fund, META, newAccount, recipient, storeTemplate } from "./helpers";

/**
 * What one paid template message costs each store over its whole life: the send through a dialect
 * to Meta (accepted), Meta's sent, delivered and read statuses (signed POSTs), their processing,
 * and one client webhook per status. Counted by wrapping the bindings, not estimated. D1 is the
 * deployment's one shared, single-threaded database: its statements and rows written per message
 * are the scale figure. The figures are printed (LIFECYCLE_COST) for the bench report to quote.
 */
interface StoreCount {
  statements: number;
  writes: number;
  rowsWritten: number;
}
interface Counts {
  d1: StoreCount;
  durableObject: { calls: number; bytes: number };
  queues: { messages: number; bytes: number };
  kv: { ops: number };
}

const blank = (): Counts => ({ d1: { statements: 0, writes: 0, rowsWritten: 0 }, durableObject: { calls: 0, bytes: 0 }, queues: { messages: 0, bytes: 0 }, kv: { ops: 0 } });

const size = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? "").byteLength;

function countingD1(db: D1Database, counts: () => Counts): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const tally = (result: D1Result) => {
    const c = counts().d1;
    c.statements++;
    const written = result.meta.rows_written ?? 0;
    if (written > 0) c.writes++;
    c.rowsWritten += written;
  };
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const w = {
      bind: (...args: unknown[]) => wrap(s.bind(...args)),
      first: async (column?: string) => {
        const r = await s.all<Record<string, unknown>>();
        tally(r);
        const row = r.results[0] ?? null;
        return column === undefined || row === null ? row : row[column];
      },
      run: async () => {
        const r = await s.run();
        tally(r);
        return r;
      },
      all: async () => {
        const r = await s.all();
        tally(r);
        return r;
      },
    };
    real.set(w, s);
    return w as unknown as D1PreparedStatement;
  };
  return {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: async (list: D1PreparedStatement[]) => {
      const results = await db.batch(list.map((s) => real.get(s) ?? s));
      results.forEach(tally);
      return results;
    },
    exec: (query: string) => db.exec(query),
  } as unknown as D1Database;
}

/** Counts every RPC call made on a Deployment object's stub, and the bytes of its arguments. */
function countingDurableObjects(ns: DurableObjectNamespace, counts: () => Counts): DurableObjectNamespace {
  const stub = (s: DurableObjectStub) =>
    new Proxy(s, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== "function" || typeof prop !== "string" || prop === "fetch") return value;
        return (...args: unknown[]) => {
          counts().durableObject.calls++;
          counts().durableObject.bytes += size(args);
          // Reflect.apply: an RPC stub's method answers any property, `apply` included, as another RPC method.
          return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        };
      },
    });
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === "get") return (id: DurableObjectId) => stub(target.get(id));
      if (prop === "getByName") return (name: string) => stub(target.getByName(name));
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function countingKv(kv: KVNamespace, counts: () => Counts): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts().kv.ops++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function countQueue(queue: { send: (body: never, options?: never) => Promise<void> }, counts: () => Counts) {
  const send = queue.send.bind(queue);
  queue.send = (async (body: unknown, options?: unknown) => {
    counts().queues.messages++;
    counts().queues.bytes += size(body);
    return send(body as never, options as never);
  }) as typeof queue.send;
}

/** One paid template's whole life with the message log in `store`; the totals per store, each phase printed. */
async function lifeOf(store: "d1" | "durable"): Promise<Counts> {
    const phases: Record<string, Counts> = {};
    let current = blank();
    const counts = () => current;
    const base = env as unknown as Env;
    const counted = { ...META, MESSAGE_LOG: store, DB: countingD1(base.DB, counts), DEPLOYMENTS: countingDurableObjects(base.DEPLOYMENTS as unknown as DurableObjectNamespace, counts), TOKENS: countingKv(base.TOKENS, counts) } as unknown as Partial<Env>;
    const h = new Harness(counted);
    for (const q of [h.inbound, h.deliveries, h.sends]) countQueue(q as never, counts);
    const workerEnv = { ...base, ...counted, INBOUND: h.inbound, DELIVERIES: h.deliveries, SENDS: h.sends } as unknown as Env;

    const accountId = await newAccount();
    const number = await seedReadyNumber(accountId, "meta");
    await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Commande {{1}}" }] });
    await fund(accountId, "CDF", 1000);
    const key = sinkKey();
    await createNativeEndpoint(h.ctx, accountId, `https://hooks.sink.test/${key}/ok`);

    const fetchWorker = async (request: Request) => {
      const executionCtx = createExecutionContext();
      const res = await handleFetch(request, workerEnv, executionCtx);
      await waitOnExecutionContext(executionCtx);
      return res;
    };
    const send = () =>
      fetchWorker(
        new Request(`${BASE}/lam/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "D360-API-KEY": number.apiKey },
          body: JSON.stringify({ to: recipient(), type: "template", template: { name: "order_ready", language: { policy: "deterministic", code: "fr" }, components: [{ type: "body", parameters: [{ type: "text", text: "A1" }] }] } }),
        }),
      );
    expect((await send()).status).toBe(201); // warms the number key's cache, as every send after the first finds it
    await h.runInbound();
    await h.runDeliveries();

    const measure = async (phase: string, work: () => Promise<void>) => {
      current = blank();
      await work();
      phases[phase] = current;
    };
    let wamid = "";
    await measure("send (accepted)", async () => {
      const res = await send();
      expect(res.status).toBe(201);
      wamid = (await res.json<{ messages: { id: string }[] }>()).messages[0]!.id;
    });
    await measure("3 status POSTs (intake)", async () => {
      for (const status of ["sent", "delivered", "read"]) {
        const body = JSON.stringify(statusPayload(number.phoneNumberId, wamid, status));
        const res = await fetchWorker(
          new Request(`${BASE}/webhooks/meta`, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": await hubSignature(GRAPH_APP_SECRET, body) }, body }),
        );
        expect(res.status).toBe(200);
      }
    });
    await measure("statuses processed", () => h.runInbound());
    await measure("3 client webhooks", () => h.runDeliveries());
    const delivered = (await sinkLog(key)).map((r) => JSON.parse(r.body) as { status?: { wamid: string; status: string } }).filter((e) => e.status?.wamid === wamid);
    expect(delivered.map((e) => e.status!.status)).toEqual(["sent", "delivered", "read"]);

    const total = Object.values(phases).reduce((sum, c) => {
      sum.d1.statements += c.d1.statements;
      sum.d1.writes += c.d1.writes;
      sum.d1.rowsWritten += c.d1.rowsWritten;
      sum.durableObject.calls += c.durableObject.calls;
      sum.durableObject.bytes += c.durableObject.bytes;
      sum.queues.messages += c.queues.messages;
      sum.queues.bytes += c.queues.bytes;
      sum.kv.ops += c.kv.ops;
      return sum;
    }, blank());
    for (const [phase, c] of Object.entries(phases)) console.log(`LIFECYCLE_COST ${JSON.stringify({ store, phase, ...c })}`);
    console.log(`LIFECYCLE_COST ${JSON.stringify({ store, phase: "total", ...total })}`);
    return total;
}

describe("the storage cost of one message's whole life", () => {
  it("with the log in D1: counts D1 statements and rows written, Durable Object calls, queue messages and KV operations for one paid template through send, sent, delivered, read and one webhook per status", async () => {
    const total = await lifeOf("d1");
    // 3 of the rows: each status event's entry in meta_events_by_account, which the archiver reads
    // an account's events by (migration 0020); it leaves D1 with the events.
    expect(total.d1).toEqual({ statements: 20, writes: 13, rowsWritten: 67 });
  });

  it("with the log in the number's Durable Object: the message's record, its statuses and the wake of early statuses leave D1", async () => {
    const total = await lifeOf("durable");
    // Left in D1: the send's routing, template, price and plan reads with its hold (reserve, post);
    // the status events (stored, marked processed) and the client deliveries (written, leased,
    // attempted, settled) with two reads of the account's endpoints.
    expect(total.d1).toEqual({ statements: 14, writes: 8, rowsWritten: 57 });
    expect(total.durableObject.calls).toBe(5);
  });
});
