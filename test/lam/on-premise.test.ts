import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { Harness, inboundText, metaPayload, sinkKey, sinkLog, uniqueWamid } from "../inbound/harness";
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

  it("a number's webhook in the Cloud API shape (360dialog v2, format: cloud) gets Meta's payload with its headers; a url change keeps the shape", async () => {
    const n = await readyNumber();
    const cloudKey = sinkKey();
    const set = await lamPost("/v1/configs/webhook", { url: `https://hooks.sink.test/${cloudKey}/ok`, headers: { "X-Shop": "awa" }, format: "cloud" }, n.apiKey);
    expect(set.status, await set.clone().text()).toBe(200);
    expect(await set.json()).toMatchObject({ format: "cloud" });
    const h = new Harness();
    await h.intake(inboundText(n.phoneNumberId, "243970001299", "Bonjour v2"));
    await h.runInbound();
    await h.runDeliveries();
    const [hook] = await sinkLog(cloudKey);
    expect(hook!.headers["x-shop"]).toBe("awa");
    const body = JSON.parse(hook!.body) as { object: string; entry: { changes: { value: { metadata: { phone_number_id: string }; messages: { text: { body: string } }[] } }[] }[] };
    expect(body.object).toBe("whatsapp_business_account");
    expect(body.entry[0]!.changes[0]!.value).toMatchObject({ metadata: { phone_number_id: n.phoneNumberId }, messages: [{ text: { body: "Bonjour v2" } }] });

    const moved = await lamPost("/configs/webhook", { url: "https://hooks.example.com/moved" }, n.apiKey);
    expect(await moved.json()).toMatchObject({ url: "https://hooks.example.com/moved", format: "cloud" });
    const back = await lamPost("/configs/webhook", { url: "https://hooks.example.com/op", format: "on-premise" }, n.apiKey);
    expect(await back.json()).toMatchObject({ format: "on-premise" });
    expect(await (await lamGet("/configs/webhook", n.apiKey)).json()).toMatchObject({ url: "https://hooks.example.com/op", format: "on-premise" });
  });

  it("uploads media with the key (the bytes with their Content-Type, or v2's multipart), sends it by id, and downloads a customer's media", async () => {
    const n = await readyNumber();
    const raw = await exports.default.fetch(`${BASE}/lam/v1/media`, { method: "POST", headers: { "D360-API-KEY": n.apiKey, "Content-Type": "image/png" }, body: new Uint8Array([137, 80, 78, 71]) });
    expect(raw.status, await raw.clone().text()).toBe(201);
    const id = (await raw.json<{ media: { id: string }[] }>()).media[0]!.id;
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("file", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "facture.pdf");
    const multipart = await exports.default.fetch(`${BASE}/lam/media`, { method: "POST", headers: { "D360-API-KEY": n.apiKey }, body: form });
    expect(await multipart.json()).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const gif = await exports.default.fetch(`${BASE}/lam/media`, { method: "POST", headers: { "D360-API-KEY": n.apiKey, "Content-Type": "image/gif" }, body: "GIF89a" });
    expect((await expectLamError(gif, 400)).errors[0]!.details).toContain("Content-Type");
    const sent = await lamPost("/v1/messages", { to: "243970001234", type: "image", image: { id } }, n.apiKey);
    expect(sent.status).toBe(201);

    const mediaId = `8${Date.now()}`;
    const h = new Harness();
    await h.intake(metaPayload(n.phoneNumberId, { messages: [{ from: "243970001234", id: uniqueWamid(), timestamp: "1767261712", type: "image", image: { id: mediaId, mime_type: "image/jpeg" } }] }));
    await h.runInbound();
    const download = await lamGet(`/v1/media/${mediaId}`, n.apiKey, "D360-API-KEY");
    expect(download.status).toBe(200);
    expect(await download.text()).toContain(mediaId);
    const other = await readyNumber();
    await expectLamError(await lamGet(`/media/${mediaId}`, other.apiKey), 404);
  });

  it("an upload is downloaded and deleted with its number's key (On-Premise and /v1 paths); another number's key finds nothing", async () => {
    const n = await readyNumber();
    const other = await readyNumber();
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const raw = await exports.default.fetch(`${BASE}/lam/v1/media`, { method: "POST", headers: { "D360-API-KEY": n.apiKey, "Content-Type": "image/png" }, body: png });
    const id = (await raw.json<{ media: { id: string }[] }>()).media[0]!.id;
    const file = await lamGet(`/v1/media/${id}`, n.apiKey, "D360-API-KEY");
    expect(file.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
    const del = (path: string, key: string) => exports.default.fetch(`${BASE}/lam${path}`, { method: "DELETE", headers: { "D360-API-KEY": key } });
    await expectLamError(await lamGet(`/media/${id}`, other.apiKey), 404);
    await expectLamError(await del(`/media/${id}`, other.apiKey), 404);
    await expectLamError(await lamPost("/messages", { to: "243970001234", type: "image", image: { id } }, other.apiKey), 404);
    const deleted = await del(`/v1/media/${id}`, n.apiKey);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ meta: { api_status: "stable" } });
    await expectLamError(await lamGet(`/media/${id}`, n.apiKey), 404);
    await expectLamError(await del(`/media/${id}`, n.apiKey), 404);
    await expectLamError(await lamPost("/messages", { to: "243970001234", type: "image", image: { id } }, n.apiKey), 404);
  });

  it("creates a template and deletes it by name with the key", async () => {
    const n = await readyNumber();
    const name = `lam_${Date.now().toString(36)}`;
    const made = await lamPost("/v1/configs/templates", { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour {{1}}", example: { body_text: [["Awa"]] } }] }, n.apiKey);
    expect(made.status, await made.clone().text()).toBe(201);
    expect(await made.json()).toMatchObject({ name, language: "fr", status: "approved", id: expect.any(String) });
    const del = (key: string) => exports.default.fetch(`${BASE}/lam/v1/configs/templates/${name}`, { method: "DELETE", headers: { "D360-API-KEY": key } });
    const other = await readyNumber();
    await expectLamError(await del(other.apiKey), 404);
    const gone = await del(n.apiKey);
    expect(await gone.json()).toMatchObject({ deleted: 1 });
  });
});
