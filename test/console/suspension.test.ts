import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, tokabola } from "../helpers";
import { bearer, buildWorld, vonageJwt, type World } from "../security/world";
import { adminLogin, login, withSession, type ConsoleSession } from "./helpers";

const call = (path: string, headers: Record<string, string>) => exports.default.fetch(`${BASE}${path}`, { headers });

/** One credential per dialect, each on a read its dialect serves. */
function attempts(w: World, session: ConsoleSession): [string, () => Promise<Response>][] {
  return [
    ["toKABOLA bearer token", () => tokabola({ type: "solde" }, w.token)],
    ["native bearer token", () => call("/api/v1/wallets", bearer(w.token))],
    ["console session", () => withSession(session, "/api/v1/wallets")],
    ["LAM number key (D360-API-KEY)", () => call("/lam/health", { "D360-API-KEY": w.apiKey })],
    ["EngageLab dev key", () => call("/engagelab/v1/templates", { Authorization: w.engagelabAuth })],
    ["Vonage WhatsApp Manager JWT", async () => call("/vonage/v0.1/whatsapp-manager/deployments", bearer(await vonageJwt(w)))],
    ["Vonage Messages Basic", () => call(`/vonage/v1/messages/media/${w.mediaId}`, { Authorization: w.engagelabAuth })],
    ["Cloud API access token", () => call(`/graph/v23.0/${w.phoneNumberId}`, bearer(w.cloudToken))],
  ];
}

describe("Suspending an account", () => {
  let world: World;
  let admin: ConsoleSession;
  beforeAll(async () => {
    [world, admin] = await Promise.all([buildWorld(), adminLogin()]);
  }, 60_000);

  it("refuses every credential of the account in its dialect's forbidden format, and reinstating restores them all", async () => {
    const session = await login({ role: "account", token: world.token });
    const calls = attempts(world, session);
    // Every credential works first, so their caches (token snapshot, dev key, number key, JWT…) are warm.
    for (const [label, run] of calls) expect((await run()).status, label).toBeLessThan(400);

    const suspended = await withSession(admin, `/api/v1/admin/accounts/${world.id}/suspend`, { method: "POST", body: { reason: "chargeback fraud" } });
    expect(suspended.status).toBe(200);
    expect(await suspended.json()).toMatchObject({ id: world.id, suspended: true });

    const refused: Record<string, [number, string]> = {};
    for (const [label, run] of calls) {
      const res = await run();
      refused[label] = [res.status, (await res.text()).slice(0, 120)];
    }
    expect(refused["toKABOLA bearer token"]![1]).toContain('"code":403');
    expect(refused["LAM number key (D360-API-KEY)"]![1]).toContain("1005");
    expect(refused["EngageLab dev key"]![1]).toContain("2004");
    expect(refused["Vonage Messages Basic"]![1]).toContain("account-suspended");
    expect(refused["Cloud API access token"]![1]).toContain('"code":10');
    for (const [label, [status]] of Object.entries(refused)) expect(status, label).toBe(403);

    const newSession = await exports.default.fetch(`${BASE}/api/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ role: "account", id_user: world.id, key_user: world.key }),
    });
    expect(newSession.status).toBe(403);

    const again = await withSession(admin, `/api/v1/admin/accounts/${world.id}/suspend`, { method: "POST", body: { reason: "twice" } });
    expect(again.status).toBe(409);

    const reinstated = await withSession(admin, `/api/v1/admin/accounts/${world.id}/reinstate`, { method: "POST", body: { reason: "cleared by support" } });
    expect(reinstated.status).toBe(200);
    expect(await reinstated.json()).toMatchObject({ suspended: false, suspended_at: null });
    for (const [label, run] of calls) expect((await run()).status, label).toBeLessThan(400);
  }, 60_000);

  it("writes one audit entry per change, naming the session, with before, after and reason", async () => {
    const { id } = await buildWorld();
    await withSession(admin, `/api/v1/admin/accounts/${id}/suspend`, { method: "POST", body: { reason: "spam" } });
    await withSession(admin, `/api/v1/admin/accounts/${id}/reinstate`, { method: "POST", body: { reason: "ok" } });
    expect((await withSession(admin, `/api/v1/admin/accounts/${id}/reinstate`, { method: "POST", body: { reason: "again" } })).status).toBe(409);
    const audit = await withSession(admin, `/api/v1/admin/audit?target=account:${id}`);
    const { data } = await audit.json<{ data: Record<string, unknown>[] }>();
    expect(data.map(({ id: _id, at: _at, ...entry }) => entry)).toEqual([
      { actor: expect.stringMatching(/^session:/), action: "account.reinstate", target: `account:${id}`, before: { suspended: true }, after: { suspended: false }, reason: "ok" },
      { actor: expect.stringMatching(/^session:[0-9a-f]{12}$/), action: "account.suspend", target: `account:${id}`, before: { suspended: false }, after: { suspended: true }, reason: "spam" },
    ]);
  }, 60_000);

  it("requires a reason, the operator, and an existing account", async () => {
    const { id, token } = await buildWorld();
    expect((await withSession(admin, `/api/v1/admin/accounts/${id}/suspend`, { method: "POST", body: { reason: " " } })).status).toBe(400);
    expect((await withSession(admin, `/api/v1/admin/accounts/${id}/suspend`, { method: "POST", body: {} })).status).toBe(400);
    expect((await withSession(admin, "/api/v1/admin/accounts/999/suspend", { method: "POST", body: { reason: "x" } })).status).toBe(404);
    const asAccount = await exports.default.fetch(`${BASE}/api/v1/admin/accounts/${id}/suspend`, {
      method: "POST",
      headers: { ...bearer(token), "Content-Type": "application/json" },
      body: JSON.stringify({ reason: "self" }),
    });
    expect(asAccount.status).toBe(401);
  }, 60_000);
});
