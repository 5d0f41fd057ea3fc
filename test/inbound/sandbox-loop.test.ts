import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { hmacSha256Hex } from "../../src/lib/crypto";
import type { SinkRecord } from "../fakes/webhook-sink";
import { BASE, coreContext, signup, tokenFor } from "../helpers";
import { input, readyNumber, recipient, text } from "../messages/helpers";
import { sinkKey, sinkLog, waitForSink } from "./harness";

async function verify(record: SinkRecord, secret: string) {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(record.headers["tuma-signature"] ?? "")!;
  const signed = record.method === "GET" ? new URL(record.url).search.slice(1) : record.body;
  return v1 === (await hmacSha256Hex(secret, `${t}.${signed}`));
}

describe("The sandbox loop, through the real queues", () => {
  it("a customer's reply via /sandbox/inbound reaches the toKABOLA webhook (GET) and a native endpoint (signed JSON); sends' statuses follow", async () => {
    const tkbKey = sinkKey();
    const account = await signup({ webhook: `https://hooks.sink.test/${tkbKey}/ok` });
    const token = await tokenFor(account);
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const phoneNumberId = await readyNumber(account.id);
    const nativeKey = sinkKey();
    const created = await exports.default.fetch(`${BASE}/api/v1/webhooks`, { method: "POST", headers: auth, body: JSON.stringify({ url: `https://hooks.sink.test/${nativeKey}/ok` }) });
    expect(created.status).toBe(201);
    const { secret } = await created.json<{ secret: string }>();

    const customer = recipient();
    const reply = await exports.default.fetch(`${BASE}/sandbox/inbound`, { method: "POST", headers: auth, body: JSON.stringify({ phone_number_id: phoneNumberId, from: `+${customer}`, text: "Bonjour, ma commande ?" }) });
    expect(reply.status).toBe(202);
    const { wamid } = await reply.json<{ wamid: string }>();

    const [tkb] = await waitForSink(tkbKey, 1);
    expect(tkb!.method).toBe("GET");
    expect(Object.fromEntries(new URL(tkb!.url).searchParams)).toMatchObject({ action_type: "text", tel_user: customer, message: "Bonjour, ma commande ?", phone_number_id: phoneNumberId, message_id: wamid });
    const [native] = await waitForSink(nativeKey, 1);
    expect(JSON.parse(native!.body)).toMatchObject({ type: "message.received", message: { id: wamid, from: customer, type: "text" } });
    expect(await verify(native!, secret)).toBe(true);

    const sent = await sendMessage(coreContext(), input(account.id, text(customer, "Votre commande est partie")));
    if (!sent.ok) throw sent.error;
    const statuses = (await waitForSink(nativeKey, 4)).slice(1).map((r) => JSON.parse(r.body).status.status);
    expect(statuses).toEqual(["sent", "delivered", "read"]);
  }, 30_000);

  it("refuses a simulated message to another account's number", async () => {
    const owner = await signup();
    const phoneNumberId = await readyNumber(owner.id);
    const stranger = await tokenFor(await signup());
    const res = await exports.default.fetch(`${BASE}/sandbox/inbound`, {
      method: "POST",
      headers: { Authorization: `Bearer ${stranger}`, "Content-Type": "application/json" },
      body: JSON.stringify({ phone_number_id: phoneNumberId, from: "243970001122", text: "Bonjour" }),
    });
    expect(res.status).toBe(404);
  });

  it("account B cannot inject a customer's message into account A's webhooks through the shared sandbox sender", async () => {
    const customer = recipient();
    const aKey = sinkKey();
    const bKey = sinkKey();
    const a = await signup({ webhook: `https://hooks.sink.test/${aKey}/ok` });
    const b = await signup({ webhook: `https://hooks.sink.test/${bKey}/ok` });
    const [aToken, bToken] = [await tokenFor(a), await tokenFor(b)];
    const sandboxSend = (token: string) =>
      exports.default.fetch(`${BASE}/tokabola/v1/`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ type: "assistance", assistance: { method: "text", server: "SANDBOX", to: customer, body: "Bonjour" } }),
      });
    const inject = (token: string, text: string) =>
      exports.default.fetch(`${BASE}/sandbox/inbound`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ phone_number_id: "100000000000001", from: customer, text }),
      });
    expect((await sandboxSend(aToken)).status).toBe(200);

    // B never wrote to this customer: refused, nothing stored.
    const refused = await inject(bToken, "from B, before writing");
    expect(refused.status).toBe(404);

    // B writes to the same customer after A: B's simulated reply reaches B only, never A (the last writer is irrelevant).
    expect((await sandboxSend(bToken)).status).toBe(200);
    const fromB = await inject(bToken, "from B");
    expect(fromB.status).toBe(202);
    const fromA = await inject(aToken, "from A");
    expect(fromA.status).toBe(202);
    const [bHook] = await waitForSink(bKey, 1);
    const [aHook] = await waitForSink(aKey, 1);
    expect(new URL(bHook!.url).searchParams.get("message")).toBe("from B");
    expect(new URL(aHook!.url).searchParams.get("message")).toBe("from A");
    await new Promise((r) => setTimeout(r, 1000));
    const messages = async (key: string) => (await sinkLog(key)).filter((r) => r.method === "GET" && new URL(r.url).searchParams.get("action_type") === "text").map((r) => new URL(r.url).searchParams.get("message"));
    expect(await messages(aKey)).toEqual(["from A"]);
    expect(await messages(bKey)).toEqual(["from B"]);
  }, 30_000);
});
