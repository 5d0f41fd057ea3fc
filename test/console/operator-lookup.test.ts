import { beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../security/world";
import { uniqueNumber } from "../durable/numbers-helpers";
import { signupWithToken } from "../helpers";
import { adminLogin, login, withSession, type ConsoleSession } from "./helpers";

describe("The operator's lookups of numbers and messages", () => {
  let world: World;
  let admin: ConsoleSession;
  beforeAll(async () => {
    [world, admin] = await Promise.all([buildWorld(), adminLogin()]);
  }, 60_000);

  it("finds a number by its digits, its phone_number_id, or its account", async () => {
    for (const q of [`+${world.cc} ${world.number}`, world.phoneNumberId, world.id]) {
      const { data } = await (await withSession(admin, `/api/v1/admin/numbers?q=${encodeURIComponent(q)}`)).json<{ data: { phone_number_id: string; account_id: string; state: string }[] }>();
      expect(data, q).toContainEqual(expect.objectContaining({ phone_number_id: world.phoneNumberId, account_id: world.id, state: "READY" }));
    }
  });

  it("refuses a search that is not digits, rather than listing every number", async () => {
    const res = await withSession(admin, "/api/v1/admin/numbers?q=boutique");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { issues: [expect.objectContaining({ field: "q" })] } });
  });

  it("shows any account's number with its state history, oldest first", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", token: account.token });
    const added = await (await withSession(session, "/api/v1/numbers", { method: "POST", body: { cc: "243", phone_number: uniqueNumber(), phone_name: "Boutique Kin" } })).json<{ deployment_id: string }>();
    const res = await withSession(admin, `/api/v1/admin/numbers/${added.deployment_id}`);
    expect(res.status).toBe(200);
    const number = await res.json<{ account_id: string; state: string; history: { state: string }[] }>();
    expect(number).toMatchObject({ account_id: account.id, state: "CLUSTER_CREATED" });
    expect(number.history.map((h) => h.state)).toContain("CLUSTER_CREATED");
    expect(number.history.at(-1)!.state).toBe("CLUSTER_CREATED");
    expect((await withSession(admin, "/api/v1/admin/numbers/nothing")).status).toBe(404);
  });

  it("shows a number's throughput, Meta's 80 until its account raises it", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", token: account.token });
    const added = await (await withSession(session, "/api/v1/numbers", { method: "POST", body: { cc: "243", phone_number: uniqueNumber(), phone_name: "Boutique Kin" } })).json<{ deployment_id: string; phone_number_id: string }>();
    const view = async () => (await (await withSession(admin, `/api/v1/admin/numbers/${added.deployment_id}`)).json<{ messages_per_second: number }>()).messages_per_second;
    expect(await view()).toBe(80);
    const set = await withSession(session, `/api/v1/numbers/${added.phone_number_id}/throughput`, { method: "PUT", body: { messages_per_second: 250 } });
    expect(set.status).toBe(200);
    expect(await view()).toBe(250);
  });

  it("finds a message by wamid and by the customer's number, and shows its timeline with its owner", async () => {
    const byWamid = await (await withSession(admin, `/api/v1/admin/messages?q=${encodeURIComponent(world.wamid)}`)).json<{ data: { id: string; account_id: string }[] }>();
    expect(byWamid.data).toEqual([expect.objectContaining({ wamid: world.wamid, account_id: world.id })]);
    const byCustomer = await (await withSession(admin, `/api/v1/admin/messages?q=%2B${world.customer}`)).json<{ data: { wa_id: string; account_id: string }[] }>();
    expect(byCustomer.data.length).toBeGreaterThan(0);
    for (const m of byCustomer.data) expect(m.wa_id).toBe(world.customer);
    const detail = await withSession(admin, `/api/v1/admin/messages/${encodeURIComponent(byWamid.data[0]!.id)}`);
    expect(detail.status).toBe(200);
    const message = await detail.json<{ account_id: string; timeline: { status: string }[] }>();
    expect(message.account_id).toBe(world.id);
    expect(message.timeline.length).toBeGreaterThan(0);
    expect((await withSession(admin, "/api/v1/admin/messages/msg_nothing")).status).toBe(404);
    expect((await withSession(admin, "/api/v1/admin/messages")).status).toBe(400);
  });
});
