import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { expectLamError, lamGet, lamPost, readyNumber } from "./helpers";

const lamPut = (path: string, body: unknown, apiKey: string) =>
  exports.default.fetch(`${BASE}/lam${path}`, { method: "PUT", headers: { "D360-API-KEY": apiKey, "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("LAfricaMobile / 360dialog: On-Premise /v1 paths and read receipts", () => {
  it("/v1/messages, /v1/configs/webhook, /v1/configs/templates and /v1/health answer as the paths without /v1", async () => {
    const n = await readyNumber();
    const sent = await lamPost("/v1/messages", { recipient_type: "individual", to: "243970001234", type: "image", image: { link: "http://images.fake.test/photo.jpg" } }, n.apiKey);
    expect(sent.status, await sent.clone().text()).toBe(201);
    expect(await sent.json()).toMatchObject({ messages: [{ id: expect.stringMatching(/^wamid\./) }], contacts: [{ wa_id: "243970001234" }] });
    expect((await lamPost("/v1/configs/webhook", { url: "https://hooks.example.com/v1" }, n.apiKey)).status).toBe(200);
    expect(await (await lamGet("/configs/webhook", n.apiKey)).json()).toMatchObject({ url: "https://hooks.example.com/v1" });
    expect(await (await lamGet("/v1/configs/webhook", n.apiKey)).json()).toMatchObject({ url: "https://hooks.example.com/v1" });
    expect((await lamGet("/v1/configs/templates", n.apiKey)).status).toBe(200);
    expect((await lamGet("/v1/health", n.apiKey)).status).toBe(200);
    await expectLamError(await lamPost("/v1/messages", { to: "243970001234", type: "text", text: { body: "x" } }), 401);
  });

  it("marks a customer's message read: the Cloud API body on /messages (with typing) and On-Premise PUT /v1/messages/{id}", async () => {
    const n = await readyNumber();
    for (const path of ["/messages", "/v1/messages"]) {
      const res = await lamPost(path, { messaging_product: "whatsapp", status: "read", message_id: "wamid.IN1", typing_indicator: { type: "text" } }, n.apiKey);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toMatchObject({ success: true });
    }
    const put = await lamPut("/v1/messages/wamid.IN2", { status: "read" }, n.apiKey);
    expect(put.status, await put.clone().text()).toBe(200);
    await expectLamError(await lamPut("/v1/messages/wamid.IN2", { status: "deleted" }, n.apiKey), 400);
    await expectLamError(await lamPost("/messages", { messaging_product: "whatsapp", status: "read" }, n.apiKey), 400);
  });
});
