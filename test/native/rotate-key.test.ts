import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { post, signupWithToken, tokabola, tokenFor } from "../helpers";

const rotate = (token?: string) =>
  post("/api/v1/account/rotate-key", {}, token ? { Authorization: `Bearer ${token}` } : {});

describe("native rotate-key", () => {
  it("issues a new key_user and revokes every earlier token at once, in D1 and KV", async () => {
    const account = await signupWithToken();
    const second = await tokenFor(account);
    const res = await rotate(account.token);
    expect(res.status).toBe(200);
    const { id_user, key_user } = await res.json<any>();
    expect(id_user).toBe(account.id);
    expect(key_user).toMatch(/^1-/);
    expect(key_user).not.toBe(account.key);

    for (const old of [account.token, second]) {
      expect(await env.TOKENS.get(`tok:${await sha256Hex(old)}`)).toBeNull();
      const after = await tokabola({ type: "account" }, old);
      expect(after.status).toBe(401);
    }
    const oldKey = await tokabola({ type: "token", token: { id_user: account.id, key_user: account.key } });
    expect(oldKey.status).toBe(401);
    const fresh = await tokenFor({ ...account, key: key_user });
    expect((await tokabola({ type: "account" }, fresh)).status).toBe(200);
  });

  it("leaves other accounts' tokens alone", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    await rotate(alice.token);
    expect((await tokabola({ type: "account" }, bob.token)).status).toBe(200);
  });

  it("answers a missing token in the native error format", async () => {
    const res = await rotate();
    expect(res.status).toBe(401);
    const body = await res.json<any>();
    expect(body.error).toMatchObject({ code: "unauthorized", request_id: res.headers.get("X-Request-Id") });
  });
});
