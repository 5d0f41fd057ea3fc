import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../security/world";
import { adminLogin, withSession, type ConsoleSession } from "./helpers";

interface Delivery {
  id: string;
  account_id: string;
  state: string;
}

describe("The operator's overview, deliveries and campaigns", () => {
  let world: World;
  let admin: ConsoleSession;
  beforeAll(async () => {
    [world, admin] = await Promise.all([buildWorld(), adminLogin()]);
  }, 60_000);

  it("gives every day of the window with message and deposit counts, and the stuck counts", async () => {
    const res = await withSession(admin, "/api/v1/admin/overview?days=3");
    expect(res.status).toBe(200);
    const overview = await res.json<{ days: { day: string; sent: number; delivered: number; read: number; failed: number; deposits: { count: number; amounts: Record<string, string> } }[]; failing_deliveries: { dead: number }; pending_deposits: number }>();
    expect(overview.days.map((d) => d.day)).toEqual([2, 1, 0].map((n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)));
    const today = overview.days.at(-1)!;
    expect(today.sent + today.delivered + today.read + today.failed).toBeGreaterThan(0);
    expect(today.deposits.count).toBeGreaterThan(0);
    expect(Number(today.deposits.amounts.CDF)).toBeGreaterThanOrEqual(25000);
    expect(overview.failing_deliveries.dead).toBeGreaterThan(0);
    expect(overview).toMatchObject({ pending_deposits: expect.any(Number), poison_events: expect.any(Number), unrouted_events: expect.any(Number) });
    expect((await withSession(admin, "/api/v1/admin/overview?days=0")).status).toBe(400);
  });

  it("lists an account's dead deliveries and replays one, then a range, each audited", async () => {
    const dead = await (await withSession(admin, `/api/v1/admin/deliveries?state=dead&account_id=${world.id}`)).json<{ data: Delivery[] }>();
    expect(dead.data.length).toBeGreaterThan(0);
    for (const d of dead.data) expect(d).toMatchObject({ account_id: world.id, state: "dead" });
    const one = dead.data[0]!;
    const replayed = await withSession(admin, `/api/v1/admin/deliveries/${one.id}/replay`, { method: "POST" });
    expect(replayed.status).toBe(200);
    expect((await replayed.json<Delivery>()).state).toBe("pending");
    expect((await withSession(admin, `/api/v1/admin/deliveries/${one.id}/replay`, { method: "POST" })).status).toBe(409);
    const range = await withSession(admin, "/api/v1/admin/deliveries/replay", { method: "POST", body: { from: 0, to: Date.now() + 60_000, account_id: world.id } });
    expect(range.status).toBe(200);
    expect((await range.json<{ replayed: number }>()).replayed).toBe(dead.data.length - 1);
    const audit = await (await withSession(admin, `/api/v1/admin/audit?target=delivery:${one.id}`)).json<{ data: { action: string }[] }>();
    expect(audit.data.map((e) => e.action)).toEqual(["delivery.replay"]);
    const rangeAudit = await (await withSession(admin, `/api/v1/admin/audit?target=account:${world.id}`)).json<{ data: { action: string }[] }>();
    expect(rangeAudit.data.map((e) => e.action)).toContain("deliveries.replay");
  });

  it("pauses, resumes and cancels any account's campaign, audited; a cancelled one cannot resume", async () => {
    const listed = await (await withSession(admin, "/api/v1/admin/campaigns?state=active&limit=100")).json<{ data: { id: string; account_id: string }[] }>();
    expect(listed.data).toContainEqual(expect.objectContaining({ id: world.campaignId, account_id: world.id }));
    const move = (action: string) => withSession(admin, `/api/v1/admin/campaigns/${world.campaignId}/${action}`, { method: "POST" });
    expect((await (await move("pause")).json<{ state: string }>()).state).toBe("paused");
    expect((await move("resume")).status).toBe(200);
    expect((await (await move("cancel")).json<{ state: string }>()).state).toBe("cancelled");
    expect((await move("resume")).status).toBe(409);
    const rows = await env.DB.prepare("SELECT action, before_json, after_json FROM audit_log WHERE target = ? ORDER BY rowid").bind(`campaign:${world.campaignId}`).all();
    expect(rows.results.map((r) => r.action)).toEqual(["campaign.pause", "campaign.resume", "campaign.cancel"]);
    expect(rows.results[0]).toMatchObject({ before_json: '{"state":"scheduled"}', after_json: '{"state":"paused"}' });
    expect((await withSession(admin, "/api/v1/admin/campaigns/cmp_000000000000000000000000/pause", { method: "POST" })).status).toBe(404);
  });
});
