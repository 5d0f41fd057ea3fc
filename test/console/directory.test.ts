import { beforeAll, describe, expect, it } from "vitest";
import { signup } from "../helpers";
import { buildWorld, type World } from "../security/world";
import { adminLogin, withSession, type ConsoleSession } from "./helpers";

describe("The operator's account directory", () => {
  let world: World;
  let admin: ConsoleSession;
  beforeAll(async () => {
    [world, admin] = await Promise.all([buildWorld(), adminLogin()]);
  }, 60_000);

  it("finds an account by id_user and by a part of its name, with its balances", async () => {
    const byId = await (await withSession(admin, `/api/v1/admin/accounts?q=${world.id}`)).json<{ data: Record<string, unknown>[] }>();
    expect(byId.data).toEqual([expect.objectContaining({ id: world.id, id_user: world.id, name: world.name, suspended: false, balance: { CDF: "25000" } })]);
    const part = world.name.split(" ")[1]!.toUpperCase();
    const byName = await (await withSession(admin, `/api/v1/admin/accounts?q=${encodeURIComponent(part)}`)).json<{ data: { id: string }[] }>();
    expect(byName.data.map((a) => a.id)).toEqual([world.id]);
  });

  it("pages through every account with next_cursor", async () => {
    await Promise.all([signup(), signup()]);
    const first = await (await withSession(admin, "/api/v1/admin/accounts?limit=1")).json<{ data: { id: string }[]; next_cursor: string }>();
    expect(first.data).toHaveLength(1);
    const second = await (await withSession(admin, `/api/v1/admin/accounts?limit=1&cursor=${first.next_cursor}`)).json<{ data: { id: string }[] }>();
    expect(second.data[0]!.id > first.data[0]!.id).toBe(true);
  });

  it("shows an account's plan, wallets, numbers, masked keys, webhooks and recent messages, and no secret", async () => {
    const res = await withSession(admin, `/api/v1/admin/accounts/${world.id}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of [world.key, world.apiKey, world.token, world.cloudToken, world.engagelabAuth]) expect(text).not.toContain(secret);
    const detail = JSON.parse(text);
    expect(detail.account).toMatchObject({ id: world.id, plan: { code: expect.any(String), expires_at: expect.any(String) } });
    expect(detail.wallets).toEqual([expect.objectContaining({ currency: "CDF", balance: "25000" })]);
    expect(detail.numbers).toEqual([expect.objectContaining({ phone_number_id: world.phoneNumberId, state: "READY" })]);
    expect(detail.keys.map((k: { kind: string }) => k.kind).sort()).toEqual(["cloud_api_token", "engagelab_dev_key", "key_user", "number_api_key"]);
    for (const key of detail.keys) expect(key.masked).toMatch(/\*{8}$/);
    expect(detail.webhooks.length).toBeGreaterThan(0);
    expect(detail.recent_messages.map((m: { wamid: string }) => m.wamid)).toContain(world.wamid);
    expect((await withSession(admin, "/api/v1/admin/accounts/999")).status).toBe(404);
  });
});
