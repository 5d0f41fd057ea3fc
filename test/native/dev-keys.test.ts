import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyDevKey } from "../../src/core/credentials/dev-keys";
import { sha256Hex } from "../../src/lib/crypto";
import { BASE, coreContext, post, signupWithToken } from "../helpers";

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const createKey = (token: string, body: object = { label: "prod" }) => post("/api/v1/engagelab/keys", body, auth(token));
const listKeys = (token: string) => exports.default.fetch(`${BASE}/api/v1/engagelab/keys`, { headers: auth(token) });
const revokeKey = (token: string, devKey: string) =>
  exports.default.fetch(`${BASE}/api/v1/engagelab/keys/${devKey}`, { method: "DELETE", headers: auth(token) });

describe("EngageLab keys", () => {
  it("shows the secret once, stores only its hash, and lists keys without secrets", async () => {
    const account = await signupWithToken();
    const res = await createKey(account.token);
    expect(res.status).toBe(201);
    const created = await res.json<any>();
    expect(created).toMatchObject({ dev_key: expect.stringMatching(/^dk_[0-9a-f]{24}$/), label: "prod", revoked_at: null });
    expect(created.dev_secret).toMatch(/^ds_[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare("SELECT * FROM dev_keys WHERE dev_key = ?").bind(created.dev_key).first<Record<string, unknown>>();
    expect(Object.values(row!)).not.toContain(created.dev_secret);
    expect(row!.secret_hash).toBe(await sha256Hex(created.dev_secret));
    const listed = await (await listKeys(account.token)).json<any>();
    expect(listed.keys).toEqual([{ dev_key: created.dev_key, label: "prod", created_at: created.created_at, revoked_at: null }]);
  });

  it("verifies the pair, refusing a wrong secret and an unknown key alike", async () => {
    const account = await signupWithToken();
    const created = await (await createKey(account.token)).json<any>();
    expect(await verifyDevKey(coreContext(), created.dev_key, created.dev_secret)).toEqual({ ok: true, value: account.id });
    for (const [key, secret] of [
      [created.dev_key, "ds_wrong"],
      ["dk_000000000000000000000000", created.dev_secret],
    ]) {
      const result = await verifyDevKey(coreContext(), key, secret);
      expect(!result.ok && result.error.code).toBe("unauthorized");
    }
  });

  it("stops accepting a revoked key at once, even after it was cached", async () => {
    const account = await signupWithToken();
    const created = await (await createKey(account.token)).json<any>();
    const warm = coreContext();
    await verifyDevKey(warm, created.dev_key, created.dev_secret);
    await Promise.all(warm.deferred);
    expect(await env.TOKENS.get(`devkey:${created.dev_key}`)).not.toBeNull();
    expect((await revokeKey(account.token, created.dev_key)).status).toBe(204);
    const result = await verifyDevKey(coreContext(), created.dev_key, created.dev_secret);
    expect(!result.ok && result.error.code).toBe("unauthorized");
    const listed = await (await listKeys(account.token)).json<any>();
    expect(listed.keys[0].revoked_at).not.toBeNull();
  });

  it("never lets one account see or revoke another's keys", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    const created = await (await createKey(alice.token)).json<any>();
    expect((await (await listKeys(bob.token)).json<any>()).keys).toEqual([]);
    const res = await revokeKey(bob.token, created.dev_key);
    expect(res.status).toBe(404);
    expect((await verifyDevKey(coreContext(), created.dev_key, created.dev_secret)).ok).toBe(true);
  });

  it("refuses an unknown field and answers bad JSON as malformed", async () => {
    const account = await signupWithToken();
    const bad = await createKey(account.token, { label: "x", scope: "all" });
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).error.code).toBe("invalid_request");
    const malformed = await post("/api/v1/engagelab/keys", "{nope", auth(account.token));
    expect((await malformed.json<any>()).error.code).toBe("malformed_body");
  });
});
