import { describe, expect, it } from "vitest";
import { uniqueNumber } from "../durable/numbers-helpers";
import { signupWithToken } from "../helpers";
import { login, withSession } from "./helpers";

describe("The account and its numbers in the native API", () => {
  it("GET /api/v1/account answers the account, its plan and that it is not suspended", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", token: account.token });
    const res = await withSession(session, "/api/v1/account");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: account.id, id_user: account.id, name: account.name, plan: { code: "TRIAL" }, suspended: false });
  });

  it("adds a number, sends its code, verifies it, and lists it READY", async () => {
    const account = await signupWithToken();
    const session = await login({ role: "account", token: account.token });
    const phone = uniqueNumber();
    const added = await withSession(session, "/api/v1/numbers", { method: "POST", body: { cc: "243", phone_number: phone, phone_name: "Boutique Kin" } });
    expect(added.status).toBe(201);
    const number = await added.json<{ phone_number_id: string; state: string; api_key: string; display_number: string }>();
    expect(number).toMatchObject({ state: "CLUSTER_CREATED", display_number: `+243${phone}` });
    expect(number.api_key).toMatch(/^[0-9a-f]{40}$/);
    const pnid = number.phone_number_id;

    const code = await withSession(session, `/api/v1/numbers/${pnid}/code`, { method: "POST", body: { method: "VOICE" } });
    expect(code.status).toBe(200);
    expect((await code.json<{ state: string }>()).state).toBe("CODE_SENT");
    expect((await withSession(session, `/api/v1/numbers/${pnid}/verify`, { method: "POST", body: { code: "111111" } })).status).toBe(422);
    expect((await withSession(session, `/api/v1/numbers/${pnid}/verify`, { method: "POST", body: { code: "12345" } })).status).toBe(400);
    const verified = await withSession(session, `/api/v1/numbers/${pnid}/verify`, { method: "POST", body: { code: "123456" } });
    expect((await verified.json<{ state: string }>()).state).toBe("READY");

    const list = await (await withSession(session, "/api/v1/numbers")).json<{ data: { phone_number_id: string; state: string }[] }>();
    expect(list.data).toEqual([expect.objectContaining({ phone_number_id: pnid, state: "READY", display_number: `+243${phone}` })]);
    expect(JSON.stringify(list)).not.toContain(number.api_key);

    const other = await signupWithToken();
    const otherSession = await login({ role: "account", token: other.token });
    expect((await withSession(otherSession, `/api/v1/numbers/${pnid}/code`, { method: "POST", body: { method: "SMS" } })).status).toBe(404);
  });
});
