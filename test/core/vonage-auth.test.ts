import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import { createDevKey, revokeDevKey } from "../../src/core/credentials/dev-keys";
import { registerVonageApplication, resolveVonageJwt, signupVonageAccount, vonageSigningKey } from "../../src/core/credentials/vonage-auth";
import { sha256Hex } from "../../src/lib/crypto";
import { coreContext, ManualClock, uniqueName } from "../helpers";

async function setup() {
  const created = await createAccount(coreContext(), { name: uniqueName() });
  if (!created.ok) throw created.error;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const applicationId = crypto.randomUUID();
  const app = await registerVonageApplication(coreContext(), created.value.account.id, applicationId, await exportSPKI(publicKey));
  if (!app.ok) throw app.error;
  return { accountId: created.value.account.id, applicationId, privateKey, fingerprint: app.value.keyFingerprint };
}

describe("Vonage JWT verification (core)", () => {
  it("caches a verified token in KV under the key's fingerprint until its expiry, and the cache decides expiry after that", async () => {
    const { accountId, applicationId, privateKey, fingerprint } = await setup();
    const clock = new ManualClock(Date.now());
    const iat = Math.floor(clock.now() / 1000);
    const jwt = await new SignJWT({ application_id: applicationId, iat, exp: iat + 600, jti: "j1" }).setProtectedHeader({ alg: "RS256", typ: "JWT" }).sign(privateKey);
    const ctx = coreContext(clock);
    expect(await resolveVonageJwt(ctx, jwt)).toEqual({ ok: true, value: accountId });
    await Promise.all(ctx.deferred);
    const key = `vjwt:${fingerprint}:${await sha256Hex(jwt)}`;
    expect(await ctx.kv.get(key, "json")).toEqual({ a: accountId, e: iat + 600 });
    clock.advance(601_000);
    const later = await resolveVonageJwt(coreContext(clock), jwt);
    expect(!later.ok && later.error.code).toBe("token_expired");
  });

  it("refuses an HS256 token even when its other claims are right", async () => {
    const { applicationId } = await setup();
    const iat = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ application_id: applicationId, iat }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(32)));
    const r = await resolveVonageJwt(coreContext(), jwt);
    expect(!r.ok && r.error.code).toBe("unauthorized");
  });
});

describe("Vonage signup (core)", () => {
  it("leaves nothing behind when a step fails midway: no account, no API key, no application", async () => {
    const name = uniqueName();
    const ctx = coreContext();
    // The application's insert fails (its table is gone): the account and key before it must not stay.
    const db = ctx.db;
    const failing = (sql: string) => db.prepare(sql.replace("INSERT INTO vonage_applications", "INSERT INTO no_such_table"));
    ctx.db = { prepare: failing, batch: (statements: D1PreparedStatement[]) => db.batch(statements) } as unknown as D1Database;
    await expect(signupVonageAccount(ctx, { name, publicKey: null, keyLabel: "vonage", clientIp: null })).rejects.toThrow(/no_such_table/);
    expect(await db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE name = ?").bind(name).first("n")).toBe(0);

    // The same signup, nothing failing, makes all three.
    const made = await signupVonageAccount(coreContext(), { name, publicKey: null, keyLabel: "vonage", clientIp: null });
    if (!made.ok) throw made.error;
    const counts = await db
      .prepare("SELECT (SELECT COUNT(*) FROM dev_keys WHERE account_id = ?1) AS keys, (SELECT COUNT(*) FROM vonage_applications WHERE account_id = ?1) AS apps")
      .bind(made.value.accountId)
      .first();
    expect(counts).toEqual({ keys: 1, apps: 1 });
  });
});

describe("Vonage application's API key (core)", () => {
  it("follows the account's keys: the signup key while live, the newest live key once it is revoked, none when none is left", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = coreContext(clock);
    const made = await signupVonageAccount(ctx, { name: uniqueName(), publicKey: null, keyLabel: "vonage", clientIp: null });
    if (!made.ok) throw made.error;
    const { accountId, apiKey } = made.value;
    const apiKeyNow = async () => {
      const key = await vonageSigningKey(ctx, accountId);
      if (!key.ok) throw key.error;
      return key.value.apiKey;
    };

    clock.advance(1000);
    const second = await createDevKey(ctx, accountId, "second");
    clock.advance(1000);
    const third = await createDevKey(ctx, accountId, "third");
    expect(await apiKeyNow()).toBe(apiKey);

    expect((await revokeDevKey(ctx, accountId, apiKey)).ok).toBe(true);
    expect(await apiKeyNow()).toBe(third.devKey);
    expect((await revokeDevKey(ctx, accountId, third.devKey)).ok).toBe(true);
    expect(await apiKeyNow()).toBe(second.devKey);
    expect((await revokeDevKey(ctx, accountId, second.devKey)).ok).toBe(true);
    expect(await apiKeyNow()).toBeNull();
  });

  it("stays absent for an application registered without one, whatever keys the account makes", async () => {
    const { accountId } = await setup();
    await createDevKey(coreContext(), accountId, "k");
    const key = await vonageSigningKey(coreContext(), accountId);
    expect(key.ok && key.value.apiKey).toBeNull();
  });
});
