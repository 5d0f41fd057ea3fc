import { normalizeWebhook, verifySignature } from "@kapso/whatsapp-cloud-api/server";
import { describe, expect, it } from "vitest";
import { Harness, metaPayload, sinkLog, statusPayload, uniqueWamid } from "../inbound/harness";
import { cloudClient, customer, graph } from "./helpers";

/** One customer message of every type Meta documents (reference §6.5), as Meta sends it. */
function everyType(from: string): Record<string, unknown>[] {
  const media = (extra: Record<string, unknown> = {}) => ({ mime_type: "image/jpeg", sha256: "c2hh", id: `14${Date.now()}`, ...extra });
  return [
    { type: "text", text: { body: "Bonjour" } },
    { type: "image", image: media({ caption: "Reçu" }) },
    // Meta's own download URL (it needs the operator's token) is left out: the client asks Tuma's GET /{media-id}.
    { type: "image", image: media({ url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1" }) },
    { type: "video", video: media({ mime_type: "video/mp4" }) },
    { type: "audio", audio: media({ mime_type: "audio/ogg", voice: true }) },
    { type: "document", document: media({ mime_type: "application/pdf", filename: "facture.pdf" }) },
    { type: "sticker", sticker: media({ mime_type: "image/webp", animated: false }) },
    { type: "location", location: { latitude: -4.325, longitude: 15.322, name: "Gombe", address: "Boulevard du 30 Juin" } },
    { type: "contacts", contacts: [{ name: { formatted_name: "Awa K.", first_name: "Awa" }, phones: [{ phone: "+243 970 000 111", type: "CELL", wa_id: "243970000111" }] }] },
    { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "oui", title: "Oui" } }, context: { from: "243815550100", id: "wamid.OUT1" } },
    { type: "interactive", interactive: { type: "list_reply", list_reply: { id: "p1", title: "Pondu", description: "Du jour" } } },
    { type: "button", button: { payload: "TRACK", text: "Suivre" }, context: { from: "243815550100", id: "wamid.OUT2" } },
    { type: "reaction", reaction: { message_id: "wamid.OUT3", emoji: "👍" } },
    { type: "order", order: { catalog_id: "cat1", text: "Merci", product_items: [{ product_retailer_id: "sku1", quantity: 2, item_price: 1500, currency: "CDF" }] } },
    { type: "unsupported", errors: [{ code: 131051, title: "Message type unknown", message: "Message type unknown", error_data: { details: "Message type is currently not supported." } }] },
  ].map((m, i) => ({ from, id: uniqueWamid(), timestamp: String(1767261600 + i), ...m }));
}

describe("Cloud API webhooks: a receiver written for Meta's", () => {
  it("verifies X-Hub-Signature-256 on, and parses as Cloud API payloads, every type of customer message, each as Meta sent it", async () => {
    const c = await cloudClient();
    const from = customer();
    const sent = everyType(from);
    const h = new Harness();
    for (const message of sent) await h.intake(metaPayload(c.phoneNumberId, { contacts: [{ profile: { name: "Awa K." }, wa_id: from }], messages: [message] }));
    await h.runInbound();
    await h.runDeliveries();
    let posts = (await sinkLog(c.sink)).filter((r) => r.method === "POST");
    for (let i = 0; i < 50 && posts.length < sent.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      posts = (await sinkLog(c.sink)).filter((r) => r.method === "POST");
    }
    expect(posts).toHaveLength(sent.length);
    const received = posts.map((p) => {
      expect(verifySignature({ appSecret: c.appSecret, rawBody: p.body, signatureHeader: p.headers["x-hub-signature-256"] })).toBe(true);
      const payload = JSON.parse(p.body) as { entry: { changes: { field: string; value: { messages: Record<string, unknown>[] } }[] }[] };
      expect(payload.entry[0]!.changes[0]!.field).toBe("messages");
      const normalized = normalizeWebhook(payload);
      expect(normalized).toMatchObject({ phoneNumberId: c.phoneNumberId, contacts: [{ waId: from }] });
      expect(normalized.messages).toHaveLength(1);
      return payload.entry[0]!.changes[0]!.value.messages[0]!;
    });
    const byId = new Map(received.map((m) => [m.id, m]));
    for (const m of sent) {
      const { url: _metaUrl, ...image } = (m.image ?? {}) as Record<string, unknown>;
      expect(byId.get(m.id as string)).toEqual(m.image ? { ...m, image } : m);
    }
  });

  it("passes on Meta's played status (a voice message's first play), signed, as Meta sent it", async () => {
    const c = await cloudClient();
    const sent = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "text", text: { body: "Message vocal" } });
    const wamid = (await sent.json<{ messages: { id: string }[] }>()).messages[0]!.id;
    const h = new Harness();
    await h.intake(statusPayload(c.phoneNumberId, wamid, "played"));
    await h.runInbound();
    await h.runDeliveries();
    let played: { body: string; headers: Record<string, string> } | undefined;
    for (let i = 0; i < 50 && !played; i++) {
      played = (await sinkLog(c.sink)).find((r) => r.method === "POST" && r.body.includes('"played"'));
      if (!played) await new Promise((r) => setTimeout(r, 200));
    }
    expect(verifySignature({ appSecret: c.appSecret, rawBody: played!.body, signatureHeader: played!.headers["x-hub-signature-256"] })).toBe(true);
    expect(normalizeWebhook(JSON.parse(played!.body)).statuses).toEqual([expect.objectContaining({ id: wamid, status: "played" })]);
  });
});
