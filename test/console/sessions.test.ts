import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signupWithToken } from "../helpers";
import { ADMIN_TOKEN, adminLogin, login, withSession } from "./helpers";

const open = (credential: unknown, url = `${BASE}/api/v1/session`) =>
  exports.default.fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(credential) });

describe("Console sessions", () => {
  it("logs the operator in with the admin token: an HttpOnly, SameSite=Strict, Secure cookie for 12 h, and a CSRF token", async () => {
    const session = await adminLogin();
    expect(session.body).toMatchObject({ role: "admin", account_id: null });
    expect(session.body.csrf_token.length).toBeGreaterThanOrEqual(32);
    expect(session.setCookie).toMatch(/^tuma_session=[A-Za-z0-9_-]{43}; /);
    for (const attribute of ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200", "Secure"]) expect(session.setCookie.split("; ")).toContain(attribute);
    const res = await withSession(session, "/api/v1/admin/plans");
    expect(res.status).toBe(200);
  });

  it("omits Secure only over plain http to localhost in development", async () => {
    const res = await open({ role: "admin", token: ADMIN_TOKEN }, "http://localhost:8787/api/v1/session");
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).not.toMatch(/Secure/);
    expect(res.headers.get("Set-Cookie")).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it("logs an account in with id_user + key_user, and with its bearer token; the session acts as that account", async () => {
    const account = await signupWithToken();
    const credentials: Record<string, string>[] = [{ role: "account", id_user: account.id, key_user: account.key }, { role: "account", token: account.token }];
    for (const credential of credentials) {
      const session = await login(credential);
      expect(session.body).toMatchObject({ role: "account", account_id: account.id });
      const wallets = await withSession(session, "/api/v1/wallets");
      expect(wallets.status).toBe(200);
    }
  });

  it("answers 401 to wrong credentials of each kind", async () => {
    const account = await signupWithToken();
    for (const credential of [
      { role: "admin", token: "wrong-admin-token-0000" },
      { role: "account", id_user: account.id, key_user: "1-00000000-0000-0000-0000-000000000000" },
      { role: "account", token: "tk_notatoken" },
    ]) {
      const res = await open(credential);
      expect(res.status, JSON.stringify(credential)).toBe(401);
      expect(res.headers.get("Set-Cookie")).toBeNull();
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
    }
    expect((await open({ role: "account", id_user: account.id })).status).toBe(400);
  });

  it("refuses a change made with the cookie but without the CSRF token (403), and accepts it with the token", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", id_user: account.id, key_user: account.key });
    const change = { tokabola_status_webhooks: true };
    const without = await withSession(session, "/api/v1/account/settings", { method: "PUT", body: change, csrf: null });
    expect(without.status).toBe(403);
    expect((await without.json<{ error: { code: string } }>()).error.code).toBe("forbidden");
    const wrong = await withSession(session, "/api/v1/account/settings", { method: "PUT", body: change, csrf: "not-the-token" });
    expect(wrong.status).toBe(403);
    const right = await withSession(session, "/api/v1/account/settings", { method: "PUT", body: change });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual(change);
  });

  it("GET answers the session with its CSRF token; DELETE logs out, clears the cookie, and the cookie then opens nothing", async () => {
    const session = await adminLogin();
    const current = await withSession(session, "/api/v1/session");
    expect(current.status).toBe(200);
    expect(await current.json()).toEqual(session.body);
    expect((await withSession(session, "/api/v1/session", { method: "DELETE", csrf: null })).status).toBe(403);
    const out = await withSession(session, "/api/v1/session", { method: "DELETE" });
    expect(out.status).toBe(204);
    expect(out.headers.get("Set-Cookie")).toMatch(/^tuma_session=; .*Max-Age=0/);
    expect((await withSession(session, "/api/v1/session")).status).toBe(401);
    expect((await withSession(session, "/api/v1/admin/plans")).status).toBe(401);
  });

  it("keeps a session of account A inside A: B's resources are not found, the operator's routes are forbidden", async () => {
    const [a, b] = await Promise.all([signupWithToken(), signupWithToken()]);
    const session = await login({ role: "account", token: a.token });
    const ledger = await withSession(session, "/api/v1/ledger");
    expect(ledger.status).toBe(200);
    const created = await exports.default.fetch(`${BASE}/api/v1/engagelab/keys`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${b.token}` },
      body: JSON.stringify({ label: "B's key" }),
    });
    const bKey = (await created.json<{ dev_key: string }>()).dev_key;
    expect(bKey).toBeTruthy();
    expect((await withSession(session, `/api/v1/engagelab/keys/${bKey}`, { method: "DELETE" })).status).toBe(404);
    const keys = await withSession(session, "/api/v1/engagelab/keys");
    expect(JSON.stringify(await keys.json())).not.toContain(bKey);
    expect((await withSession(session, "/api/v1/admin/plans")).status).toBe(403);
    const admin = await adminLogin();
    expect((await withSession(admin, "/api/v1/wallets")).status).toBe(403);
  });

  it("ends every console session of the account when its key is rotated", async () => {
    const account = await signupWithToken();
    const [byKey, byToken] = [await login({ role: "account", id_user: account.id, key_user: account.key }), await login({ role: "account", token: account.token })];
    const rotated = await withSession(byKey, "/api/v1/account/rotate-key", { method: "POST" });
    expect(rotated.status).toBe(200);
    expect((await withSession(byKey, "/api/v1/wallets")).status).toBe(401);
    expect((await withSession(byToken, "/api/v1/wallets")).status).toBe(401);
  });

  it("leaves Bearer requests alone: a stale cookie beside a valid token changes nothing, and needs no CSRF token", async () => {
    const account = await signupWithToken();
    const res = await exports.default.fetch(`${BASE}/api/v1/account/settings`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${account.token}`, Cookie: "tuma_session=stale", "Content-Type": "application/json" },
      body: JSON.stringify({ tokabola_status_webhooks: false }),
    });
    expect(res.status).toBe(200);
  });
});
