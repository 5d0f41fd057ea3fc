import { exports } from "cloudflare:workers";
import { GraphApiError, WhatsAppClient } from "@kapso/whatsapp-cloud-api";
import {
  markMessageRead,
  sendButtonsMessage,
  sendCTAURLMessage,
  sendFlowMessage,
  sendImageMessage,
  sendListMessage,
  sendTemplateMessage,
  sendTextMessage,
  uploadMedia,
} from "@whatsapp-cloudapi/client";
import { describe, expect, it } from "vitest";
import { BASE, withWorkerFetch, workerFetch } from "../helpers";
import { Harness, metaPayload, uniqueWamid } from "../inbound/harness";
import { cloudClient, createTemplate, customer, type CloudClient } from "./helpers";

const WAMID = /^wamid\./;
/** A few bytes of JPEG: Tuma checks the declared type and the size; Meta checks the content. */
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 0xff, 0xd9])], { type: "image/jpeg" });

/**
 * `@kapso/whatsapp-cloud-api`, configured as a customer would (`baseUrl`), with its own `fetch`
 * option handing each request to the Worker's handler (there is no network in tests): every byte
 * of URL, headers and body is what the SDK made. `@whatsapp-cloudapi/client` has no such option:
 * its calls run in withWorkerFetch.
 */
const kapso = (c: CloudClient, accessToken = c.accessToken) =>
  new WhatsAppClient({ accessToken, baseUrl: `${BASE}/graph`, fetch: workerFetch });

describe("@kapso/whatsapp-cloud-api pointed at Tuma (baseUrl)", () => {
  it("sends a text, a template with parameters and an uploaded image, and reads the account's template list", async () => {
    const c = await cloudClient();
    const client = kapso(c);
    const name = await createTemplate(c);
    const to = customer();
    const text = await client.messages.sendText({ phoneNumberId: c.phoneNumberId, to, body: "Bonjour depuis Kapso" });
    expect(text.messages[0]!.id).toMatch(WAMID);
    expect(text.contacts?.[0]).toMatchObject({ input: to, waId: to });
    const tpl = await client.messages.sendTemplate({
      phoneNumberId: c.phoneNumberId,
      to,
      template: { name, language: { code: "fr" }, components: [{ type: "body", parameters: [{ type: "text", text: "Awa" }, { type: "text", text: "4821" }] }] },
    });
    expect(tpl.messages[0]!.id).toMatch(WAMID);
    const read = await client.messages.markRead({ phoneNumberId: c.phoneNumberId, messageId: "wamid.FROMCUSTOMER", typingIndicator: { type: "text" } });
    expect(read.success).toBe(true);

    const list = await client.templates.list({ businessAccountId: c.wabaId });
    expect(list.data.map((t) => t.name)).toEqual([name]);

    const uploaded = await client.media.upload({ phoneNumberId: c.phoneNumberId, type: "image/jpeg", file: jpeg(), fileName: "recu.jpg" });
    expect(uploaded.id).toMatch(/^\d+$/);
    const image = await client.messages.sendImage({ phoneNumberId: c.phoneNumberId, to, image: { id: uploaded.id, caption: "Votre reçu" } });
    expect(image.messages[0]!.id).toMatch(WAMID);
    const gif = await client.media.upload({ phoneNumberId: c.phoneNumberId, type: "image/gif", file: jpeg() }).catch((e: unknown) => e);
    expect(gif).toMatchObject({ httpStatus: 400, code: 100 });
    expect(list.data[0]).toMatchObject({ name, language: "fr", status: "APPROVED", category: "UTILITY" });
    const one = await client.templates.get({ businessAccountId: c.wabaId, templateId: list.data[0]!.id });
    expect(one).toMatchObject({ id: list.data[0]!.id, name });
    const byId = await client.request<{ name: string }>("GET", list.data[0]!.id, { responseType: "json" });
    expect(byId).toMatchObject({ name });
  });

  it("sees Meta's errors as GraphApiError: a bad token (190, refresh_token), a missing template (132001), a WABA that is not the account's (100, subcode 33)", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const badToken = await kapso(c, "EAATwrong").messages.sendText({ phoneNumberId: c.phoneNumberId, to: customer(), body: "x" }).catch((e: unknown) => e);
    expect(badToken).toBeInstanceOf(GraphApiError);
    expect(badToken).toMatchObject({ httpStatus: 401, code: 190, category: "authorization", retry: { action: "refresh_token" } });
    expect((badToken as GraphApiError).isAuthError()).toBe(true);

    const missing = await kapso(c)
      .messages.sendTemplate({ phoneNumberId: c.phoneNumberId, to: customer(), template: { name: "absent_template", language: { code: "fr" } } })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ httpStatus: 404, code: 132001, category: "template", fbtraceId: expect.any(String) });

    const otherWaba = `${other.wabaId}9`;
    const foreign = await kapso(c).templates.list({ businessAccountId: otherWaba }).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });
  });
});

describe("@kapso/whatsapp-cloud-api managing its uploads and templates", () => {
  it("reads an upload's metadata, downloads its bytes and deletes it; the id is then gone", async () => {
    const c = await cloudClient();
    const client = kapso(c);
    const file = jpeg();
    const { id } = await client.media.upload({ phoneNumberId: c.phoneNumberId, type: "image/jpeg", file, fileName: "recu.jpg" });
    expect(await client.media.get({ mediaId: id, phoneNumberId: c.phoneNumberId })).toMatchObject({ id, mimeType: "image/jpeg", fileSize: file.size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const bytes = await client.media.download({ mediaId: id, auth: "always" });
    expect(new Uint8Array(bytes as ArrayBuffer)).toEqual(new Uint8Array(await file.arrayBuffer()));
    expect(await client.media.delete({ mediaId: id })).toMatchObject({ success: true });
    expect(await client.media.get({ mediaId: id }).catch((e: unknown) => e)).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });
  });

  it("deletes one language of a template by name and language, leaving the other", async () => {
    const c = await cloudClient();
    const client = kapso(c);
    const name = `langs_${Date.now().toString(36)}`;
    const components = [{ type: "BODY" as const, text: "Bonjour" }];
    for (const language of ["fr", "en"]) await client.templates.create({ businessAccountId: c.wabaId, name, language, category: "UTILITY", components });
    expect(await client.templates.delete({ businessAccountId: c.wabaId, name, language: "en" })).toMatchObject({ success: true });
    expect((await client.templates.list({ businessAccountId: c.wabaId })).data.map((t) => t.language)).toEqual(["fr"]);
  });
});

describe("@kapso/whatsapp-cloud-api reading a customer's media", () => {
  it("gets the media's metadata and downloads it with the access token; another account sees 100/33", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const mediaId = `9${Date.now()}`;
    const h = new Harness();
    await h.intake(
      metaPayload(c.phoneNumberId, {
        contacts: [{ profile: { name: "Client" }, wa_id: "243970006677" }],
        messages: [{ from: "243970006677", id: uniqueWamid(), timestamp: "1767261712", type: "image", image: { mime_type: "image/jpeg", sha256: "abc123", id: mediaId } }],
      }),
    );
    await h.runInbound();
    const meta = await kapso(c).media.get({ mediaId });
    expect(meta).toMatchObject({ id: mediaId, mimeType: "image/jpeg", sha256: "abc123", url: `${BASE}/graph/v23.0/${mediaId}/download` });
    const bytes = await kapso(c).media.download({ mediaId, auth: "always" });
    expect(new TextDecoder().decode(bytes as ArrayBuffer)).toContain(mediaId);
    expect(await kapso(other).media.get({ mediaId }).catch((e: unknown) => e)).toMatchObject({ httpStatus: 400, code: 100, errorSubcode: 33 });
    const stolen = await exports.default.fetch(meta.url, { headers: { Authorization: `Bearer ${other.accessToken}` } });
    expect(stolen.status).toBe(400);
  });
});

describe("@whatsapp-cloudapi/client pointed at Tuma (per-call baseUrl)", () => {
  it("sends a text, a template with parameters and an uploaded image, and marks a message read", async () => {
    const c = await cloudClient();
    const name = await createTemplate(c);
    const to = customer();
    const common = { accessToken: c.accessToken, from: c.phoneNumberId, baseUrl: `${BASE}/graph` };
    const [text, tpl, read, image] = await withWorkerFetch(async () => [
      await sendTextMessage({ ...common, to: `+${to}`, text: "Bonjour" }),
      await sendTemplateMessage({
        ...common,
        to,
        templateName: name,
        languageCode: "fr",
        components: [{ type: "body", parameters: [{ type: "text", text: "Awa" }, { type: "text", text: "4821" }] }],
      }),
      await markMessageRead({ ...common, messageId: "wamid.FROMCUSTOMER", showTypingIndicator: true }),
      await sendImageMessage({ ...common, to, mediaId: (await uploadMedia({ ...common, file: jpeg() })).id, caption: "Reçu" }),
    ]);
    expect(image).toMatchObject({ messages: [{ id: expect.stringMatching(WAMID) }] });
    expect(text).toMatchObject({ messaging_product: "whatsapp", contacts: [{ input: `+${to}`, wa_id: to }], messages: [{ id: expect.stringMatching(WAMID) }] });
    expect(tpl).toMatchObject({ messages: [{ id: expect.stringMatching(WAMID) }] });
    expect(read).toEqual({ success: true });
  });

  it("sends reply buttons with an uploaded header image, a list, a CTA URL and a flow", async () => {
    const c = await cloudClient();
    const to = customer();
    const common = { accessToken: c.accessToken, from: c.phoneNumberId, baseUrl: `${BASE}/graph`, to };
    const sent = await withWorkerFetch(async () => {
      const { id } = await uploadMedia({ ...common, file: jpeg() });
      return [
        await sendButtonsMessage({ ...common, bodyText: "Confirmer ?", headerImage: { id }, buttons: [{ id: "oui", title: "Oui" }, { id: "non", title: "Non" }] }),
        await sendListMessage({ ...common, bodyText: "Choisissez", buttonText: "Menu", sections: [{ title: "Plats", rows: [{ id: "p1", title: "Pondu" }] }] }),
        await sendCTAURLMessage({ ...common, bodyText: "Votre facture", buttonText: "Voir", url: "https://shop.example.com/f/1", headerImage: { id } }),
        await sendFlowMessage({ ...common, bodyText: "Réservez", flowToken: "tok-1", flowId: "1234567890", flowCta: "Réserver", flowAction: "navigate", screen: "START" }),
      ];
    });
    for (const r of sent) expect(r).toMatchObject({ messages: [{ id: expect.stringMatching(WAMID) }] });
  });

  it("its error path carries Meta's envelope (code 190 for a bad token, 100 for a bad recipient)", async () => {
    const c = await cloudClient();
    const common = { from: c.phoneNumberId, baseUrl: `${BASE}/graph`, text: "x" };
    const bad = await withWorkerFetch(() => sendTextMessage({ ...common, accessToken: "EAATwrong", to: customer() })).catch((e: Error) => e);
    const envelope = (e: unknown) => JSON.parse(String((e as Error).message).replace(/^WhatsApp API Error: /, "")) as { error: { code: number; type: string; fbtrace_id: string } };
    expect(envelope(bad).error).toMatchObject({ code: 190, type: "OAuthException", fbtrace_id: expect.any(String) });
    const badTo = await withWorkerFetch(() => sendTextMessage({ ...common, accessToken: c.accessToken, to: "not-a-number" })).catch((e: Error) => e);
    expect(envelope(badTo).error).toMatchObject({ code: 100 });
  });
});
