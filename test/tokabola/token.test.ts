import { afterEach, describe, expect, it, vi } from "vitest";
import { signup, signupWithToken, tokabola } from "../helpers";

describe("toKABOLA token", () => {
  afterEach(() => vi.useRealTimers());

  it("exchanges id_user and key_user for a bearer token with its expiry", async () => {
    const account = await signup();
    const res = await tokabola({ type: "token", token: { id_user: account.id, key_user: account.key } });
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.data.token).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
    expect(body.data.token_type).toBe("Bearer");
    expect(body.data.expires_in).toBe(86400);
    expect(Date.parse(body.data.expires_at) - Date.now()).toBeGreaterThan(86_000_000);
  });

  it("accepts id_user as a number", async () => {
    const account = await signup();
    const res = await tokabola({ type: "token", token: { id_user: Number(account.id), key_user: account.key } });
    expect(res.status).toBe(200);
  });

  it("answers a wrong key and an unknown id the same way, with 1004", async () => {
    const account = await signup();
    const wrongKey = await tokabola({ type: "token", token: { id_user: account.id, key_user: "1-00000000-0000-0000-0000-000000000000" } });
    const unknownId = await tokabola({ type: "token", token: { id_user: "999999999999", key_user: account.key } });
    for (const res of [wrongKey, unknownId]) expect(res.status).toBe(401);
    const [a, b] = [await wrongKey.json<any>(), await unknownId.json<any>()];
    expect(a.code).toBe(1004);
    expect(a.message).toBe("L'ID ou la clé d'autorisation n'existe pas.");
    expect({ ...a, request_id: "" }).toEqual({ ...b, request_id: "" });
  });

  it("rejects a token after its expiry", async () => {
    const account = await signupWithToken();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 86_400_000 + 1000);
    const res = await tokabola({ type: "account" }, account.token);
    expect(res.status).toBe(401);
    const body = await res.json<any>();
    expect(body.code).toBe(1004);
    expect(body.message).toContain("expiré");
  });

  it("accepts the token just before its expiry", async () => {
    const account = await signupWithToken();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 86_400_000 - 5000);
    const res = await tokabola({ type: "account" }, account.token);
    expect(res.status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["an unknown token", "tk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("answers 1004 for %s on an authenticated type", async (_label, token) => {
    const res = await tokabola({ type: "account" }, token);
    expect(res.status).toBe(401);
    expect((await res.json<any>()).code).toBe(1004);
  });

  it("answers 1004 for a malformed Authorization header", async () => {
    const { post } = await import("../helpers");
    const res = await post("/tokabola/v1/", { type: "account" }, { Authorization: "Basic abc" });
    expect(res.status).toBe(401);
  });
});
