import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import { issueToken, purgeExpiredTokens, resolveToken } from "../../src/core/credentials/tokens";
import { sha256Hex } from "../../src/lib/crypto";
import { coreContext, ManualClock, uniqueName } from "../helpers";

/** A D1 binding that counts the statements prepared through it. */
function countingDb(db: D1Database) {
  const counter = { prepared: 0 };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          counter.prepared += 1;
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, counter };
}

async function newAccount(ctx = coreContext()) {
  const created = await createAccount(ctx, { name: uniqueName() });
  if (!created.ok) throw created.error;
  return created.value.account.id;
}

describe("core tokens", () => {
  it("resolves a cached token with one KV read and no D1 query", async () => {
    const accountId = await newAccount();
    const issued = await issueToken(coreContext(), accountId);
    const { db, counter } = countingDb(env.DB);
    const ctx = coreContext(undefined, { DB: db });
    const resolved = await resolveToken(ctx, issued.token);
    expect(resolved).toEqual({ ok: true, value: accountId });
    expect(counter.prepared).toBe(0);
  });

  it("falls back to D1 on a KV miss and refills the cache", async () => {
    const accountId = await newAccount();
    const issued = await issueToken(coreContext(), accountId);
    const key = `tok:${await sha256Hex(issued.token)}`;
    await env.TOKENS.delete(key);
    const ctx = coreContext();
    expect(await resolveToken(ctx, issued.token)).toEqual({ ok: true, value: accountId });
    await Promise.all(ctx.deferred);
    expect(await env.TOKENS.get(key, "json")).toMatchObject({ a: accountId, e: issued.expiresAt, acct: { id: accountId } });
  });

  it("caches with a KV expiry that never reaches past the token's", async () => {
    const accountId = await newAccount();
    const issued = await issueToken(coreContext(), accountId);
    const hash = await sha256Hex(issued.token);
    const listed = await env.TOKENS.list({ prefix: `tok:${hash}` });
    expect(listed.keys).toHaveLength(1);
    expect(listed.keys[0]!.expiration! * 1000).toBeLessThanOrEqual(issued.expiresAt);
  });

  it("refuses an expired token even while KV still holds its entry", async () => {
    const clock = new ManualClock(Date.now());
    const accountId = await newAccount();
    const issued = await issueToken(coreContext(clock), accountId);
    clock.advance(issued.expiresIn * 1000);
    const result = await resolveToken(coreContext(clock), issued.token);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("token_expired");
  });

  it("does not cache a token with less than a minute to live", async () => {
    const clock = new ManualClock(Date.now());
    const accountId = await newAccount();
    const issued = await issueToken(coreContext(clock), accountId);
    const key = `tok:${await sha256Hex(issued.token)}`;
    await env.TOKENS.delete(key);
    clock.current = issued.expiresAt - 30_000;
    const ctx = coreContext(clock);
    expect((await resolveToken(ctx, issued.token)).ok).toBe(true);
    await Promise.all(ctx.deferred);
    expect(await env.TOKENS.get(key)).toBeNull();
  });

  it("purges tokens expired for over a day, and only those", async () => {
    const clock = new ManualClock(Date.now());
    const accountId = await newAccount();
    const old = await issueToken(coreContext(clock), accountId);
    clock.advance(3 * 86_400_000);
    const recent = await issueToken(coreContext(clock), accountId);
    await purgeExpiredTokens(coreContext(clock));
    const rows = await env.DB.prepare("SELECT hash FROM tokens WHERE account_id = ?").bind(accountId).all<{ hash: string }>();
    expect(rows.results.map((r) => r.hash)).toEqual([await sha256Hex(recent.token)]);
    expect(old.token).not.toBe(recent.token);
  });
});
