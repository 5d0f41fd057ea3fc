import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import { registerVonageApplication, resolveVonageJwt, signupVonageAccount } from "../../src/core/credentials/vonage-auth";
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
