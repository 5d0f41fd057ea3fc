import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { BASE, signupWithToken } from "../helpers";
import { readyNumber, recipient } from "./helpers";

/**
 * What one toKABOLA text send costs in storage operations, counted by wrapping the Worker's
 * bindings (not guessed). `npm run bench` runs this test and quotes the line it prints.
 */
interface Counts {
  d1Calls: number;
  d1Statements: number;
  kvOps: number;
  queueSends: number;
}

function countingD1(db: D1Database, counts: Counts): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const once = <T>(run: () => T) => {
      counts.d1Calls++;
      counts.d1Statements++;
      return run();
    };
    const w = {
      bind: (...args: unknown[]) => wrap(s.bind(...args)),
      first: (column?: string) => once(() => (column === undefined ? s.first() : s.first(column))),
      run: () => once(() => s.run()),
      all: () => once(() => s.all()),
      raw: (options?: { columnNames?: false }) => once(() => s.raw(options)),
    };
    real.set(w, s);
    return w as unknown as D1PreparedStatement;
  };
  return {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: (list: D1PreparedStatement[]) => {
      counts.d1Calls++;
      counts.d1Statements += list.length;
      return db.batch(list.map((s) => real.get(s) ?? s));
    },
    exec: (query: string) => db.exec(query),
    withSession: () => db.withSession(),
    dump: () => db.dump(),
  } as unknown as D1Database;
}

function countingKv(kv: KVNamespace, counts: Counts): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts.kvOps++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function countedSend(token: string, body: unknown, headers: Record<string, string> = {}): Promise<Counts> {
  const counts: Counts = { d1Calls: 0, d1Statements: 0, kvOps: 0, queueSends: 0 };
  const base = env as unknown as Env;
  const sends = { send: (m: unknown, o?: QueueSendOptions) => (counts.queueSends++, base.SENDS.send(m, o)) };
  const counted = { ...base, DB: countingD1(base.DB, counts), TOKENS: countingKv(base.TOKENS, counts), SENDS: sends } as unknown as Env;
  const ctx = createExecutionContext();
  const res = await handleFetch(
    new Request(`${BASE}/tokabola/v1/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    }),
    counted,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  return counts;
}

const text = () => ({ type: "assistance", assistance: { method: "text", to: recipient(), body: "Bonjour" } });

async function measured(scenario: string, headers: Record<string, string> = {}): Promise<Counts> {
  const account = await signupWithToken();
  await readyNumber(account.id);
  await countedSend(account.token, text()); // warms the token cache, as every request after the first finds it
  const counts = await countedSend(account.token, text(), headers);
  console.log(`IO_COST ${JSON.stringify({ scenario, ...counts })}`);
  return counts;
}

describe("the storage cost of one send", () => {
  it("a toKABOLA text through the sandbox: 1 KV read, 2 D1 round trips (the number, the message), 1 queue message", async () => {
    expect(await measured("toKABOLA assistance text, sandbox, no Idempotency-Key")).toEqual({ d1Calls: 2, d1Statements: 2, kvOps: 1, queueSends: 1 });
  });

  it("with an Idempotency-Key: one more D1 read (the earlier answer) and the claim, written before the message log records the send", async () => {
    expect(await measured("toKABOLA assistance text, sandbox, with Idempotency-Key", { "Idempotency-Key": "k1" })).toEqual({
      d1Calls: 4,
      d1Statements: 4,
      kvOps: 1,
      queueSends: 1,
    });
  });
});
