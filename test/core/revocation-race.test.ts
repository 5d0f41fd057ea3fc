import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rotateAccountKey } from "../../src/core/accounts/accounts";
import { createDevKey, revokeDevKey, verifyDevKey } from "../../src/core/credentials/dev-keys";
import { resolveNumberKey, rotateNumberKey } from "../../src/core/credentials/number-keys";
import { issueToken, resolveToken } from "../../src/core/credentials/tokens";
import type { Env } from "../../src/config/env";
import { sha256Hex } from "../../src/lib/crypto";
import { kvKeys } from "../../src/stores/kv";
import { coreContext, signup } from "../helpers";
import { seedReadyNumber } from "../fixtures/numbers";

/**
 * The race, made deterministic: a request misses the cache and reads D1 (credential live); its
 * KV refill is held at a gate; the revocation runs to the end (D1, then the KV delete); then the
 * refill is let go. The credential must stay revoked.
 */
function gatedKv() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const kv = new Proxy(env.TOKENS, {
    get(target, prop) {
      if (prop === "put") return async (...args: Parameters<KVNamespace["put"]>) => (await gate, target.put(...args));
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ctx: coreContext(undefined, { TOKENS: kv } as Partial<Env>), open };
}

async function settle(ctx: { deferred: Promise<unknown>[] }) {
  while (ctx.deferred.length) await Promise.all(ctx.deferred.splice(0));
}

describe("revocation always wins over a cache refill", () => {
  it("a dev key revoked while its refill is in flight stays revoked", async () => {
    const account = await signup();
    const { devKey, devSecret } = await createDevKey(coreContext(), account.id, null);
    const racer = gatedKv();
    expect((await verifyDevKey(racer.ctx, devKey, devSecret)).ok).toBe(true);
    expect((await revokeDevKey(coreContext(), account.id, devKey)).ok).toBe(true);
    racer.open();
    await settle(racer.ctx);
    expect(await env.TOKENS.get(kvKeys.devKey(devKey))).toBeNull();
    const after = await verifyDevKey(coreContext(), devKey, devSecret);
    expect(after.ok ? "live" : after.error.details.reason).toBe("revoked");
  });

  it("a number key rotated while its refill is in flight stops working", async () => {
    const account = await signup();
    const number = await seedReadyNumber(account.id);
    const racer = gatedKv();
    expect((await resolveNumberKey(racer.ctx, number.apiKey)).ok).toBe(true);
    expect((await rotateNumberKey(coreContext(), account.id, number.phoneNumberId)).ok).toBe(true);
    racer.open();
    await settle(racer.ctx);
    expect(await env.TOKENS.get(kvKeys.numberKey(await sha256Hex(number.apiKey)))).toBeNull();
    expect((await resolveNumberKey(coreContext(), number.apiKey)).ok).toBe(false);
  });

  it("a bearer token revoked (key_user rotated) while its refill is in flight stays revoked", async () => {
    const account = await signup();
    const { token } = await issueToken(coreContext(), account.id);
    await env.TOKENS.delete(kvKeys.token(await sha256Hex(token))); // a cache miss, as after KV eviction
    const racer = gatedKv();
    expect((await resolveToken(racer.ctx, token)).ok).toBe(true);
    expect((await rotateAccountKey(coreContext(), account.id)).ok).toBe(true);
    racer.open();
    await settle(racer.ctx);
    expect((await resolveToken(coreContext(), token)).ok).toBe(false);
  });

  it("a refill that meets no revocation stays cached", async () => {
    const account = await signup();
    const { devKey, devSecret } = await createDevKey(coreContext(), account.id, null);
    const racer = gatedKv();
    expect((await verifyDevKey(racer.ctx, devKey, devSecret)).ok).toBe(true);
    racer.open();
    await settle(racer.ctx);
    expect(await env.TOKENS.get(kvKeys.devKey(devKey), "json")).toMatchObject({ a: account.id });
  });
});
