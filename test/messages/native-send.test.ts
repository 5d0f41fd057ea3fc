import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signupWithToken } from "../helpers";
import { readyNumber, recipient } from "./helpers";

function sendText(token: string, body: unknown, headers: Record<string, string> = {}) {
  return exports.default.fetch(`${BASE}/api/v1/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("POST /api/v1/messages: a text from the account's number (what the console sends)", () => {
  it("sends from the account's READY number; the message is in its log by the id answered", async () => {
    const account = await signupWithToken();
    const phoneNumberId = await readyNumber(account.id);
    const to = recipient();
    const res = await sendText(account.token, { to, type: "text", text: { body: "Votre commande est prête." } });
    expect(res.status).toBe(201);
    const sent = await res.json<{ id: string; wamid: string; phone_number_id: string; wa_id: string; replayed: boolean }>();
    expect(sent).toMatchObject({ phone_number_id: phoneNumberId, wa_id: to, replayed: false });
    const logged = await exports.default.fetch(`${BASE}/api/v1/messages/${sent.id}`, { headers: { Authorization: `Bearer ${account.token}` } });
    expect(logged.status).toBe(200);
    expect(await logged.json()).toMatchObject({ id: sent.id, wamid: sent.wamid, direction: "outbound", type: "text" });
  });

  it("answers the first message again for the same Idempotency-Key, sending nothing more", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const body = { to: recipient(), type: "text", text: { body: "Une fois" } };
    const first = await (await sendText(account.token, body, { "Idempotency-Key": "console-1" })).json<{ id: string }>();
    const again = await sendText(account.token, body, { "Idempotency-Key": "console-1" });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, replayed: true });
  });

  it("names each wrong field in the native error format, and sends nothing", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const res = await sendText(account.token, { to: "12", type: "text", text: { body: " " } });
    expect(res.status).toBe(400);
    const error = (await res.json<{ error: { code: string; issues: { field: string }[] } }>()).error;
    expect(error.code).toBe("invalid_request");
    expect(error.issues.map((i) => i.field).sort()).toEqual(["text.body", "to"]);
    const log = await exports.default.fetch(`${BASE}/api/v1/messages`, { headers: { Authorization: `Bearer ${account.token}` } });
    expect((await log.json<{ messages: unknown[] }>()).messages).toEqual([]);
  });
});
