import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { BASE, withWorkerFetch } from "../helpers";
import { Harness, inboundText, metaPayload, uniqueWamid } from "../inbound/harness";
import { basic, createTemplateWith } from "./messages-fixtures";
import { waitForSink } from "../inbound/harness";
import { basicSdk, expectSignedByVonageRules, jwtSdk, vonageMessagesClient } from "./messages-helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Vonage's Messages SDK pointed at Tuma", () => {
  it("sends a text, an image and a template (JWT and Basic), and the status URL gets submitted/delivered/read in Vonage's shape, signed as Vonage signs", async () => {
    const c = await vonageMessagesClient();
    const template = await createTemplateWith(basic(c.apiKey, c.apiSecret), "Bonjour {{1}}, votre code est {{2}}.");
    const customer = `24397${String(Date.now()).slice(-7)}`;
    const sent = await withWorkerFetch(async () => {
      const jwt = jwtSdk(c);
      const text = await jwt.send({ channel: "whatsapp", messageType: "text", to: customer, from: c.from, text: "Bonjour depuis Vonage", clientRef: "order-17" } as never);
      const image = await jwt.send({ channel: "whatsapp", messageType: "image", to: customer, from: c.from, image: { url: "https://images.fake.test/photo.jpg", caption: "Votre reçu" } } as never);
      const tpl = await basicSdk(c).send({
        channel: "whatsapp",
        messageType: "template",
        to: customer,
        from: c.from,
        template: { name: template, parameters: ["Awa", "4821"] },
        whatsapp: { policy: "deterministic", locale: "fr" },
      } as never);
      return [text.messageUUID, image.messageUUID, tpl.messageUUID];
    });
    for (const uuid of sent) expect(uuid).toMatch(UUID);

    // The sandbox reports sent → delivered → read for each message, through the real queues.
    const hooks = await waitForSink(c.statusKey, 9);
    const bodies = await Promise.all(hooks.map((h) => expectSignedByVonageRules(h, c)));
    for (const uuid of sent) {
      expect(bodies.filter((b) => b.message_uuid === uuid).map((b) => b.status).sort()).toEqual(["delivered", "read", "submitted"]);
    }
    const first = bodies.find((b) => b.message_uuid === sent[0] && b.status === "delivered")!;
    expect(first).toMatchObject({ to: customer, from: c.from, channel: "whatsapp", client_ref: "order-17" });
    expect(new Date(first.timestamp as string).toISOString()).toBe(first.timestamp);
    expect((await waitForSink(c.inboundKey, 0)).length).toBe(0);
  }, 60_000);

  it("a message WhatsApp fails after accepting it is `rejected` with Vonage's error object (type, title, detail, instance)", async () => {
    const c = await vonageMessagesClient();
    // The sandbox fails a recipient ending 0000 as "not on WhatsApp", as Meta reports it.
    const { messageUUID } = await withWorkerFetch(() => jwtSdk(c).send({ channel: "whatsapp", messageType: "text", to: "243970000000", from: c.from, text: "Allô ?" } as never));
    const [hook] = await waitForSink(c.statusKey, 1, (r) => JSON.parse(r.body).status === "rejected");
    const body = await expectSignedByVonageRules(hook!, c);
    expect(body).toMatchObject({ message_uuid: messageUUID, status: "rejected", to: "243970000000", channel: "whatsapp" });
    const error = body.error as Record<string, string>;
    // Meta's 131026 (undeliverable) is Vonage's 1300, "Not part of the provider network".
    expect(error).toMatchObject({ type: "https://developer.vonage.com/api-errors/messages-olympus#1300", title: "1300" });
    expect(error.detail).toContain("WhatsApp error 131026");
    expect(typeof error.instance).toBe("string");
  }, 60_000);

  it("a customer's message goes to the inbound URL in Vonage's shape, signed; statuses never do", async () => {
    const c = await vonageMessagesClient();
    const h = new Harness();
    const customer = "243970004455";
    await h.intake(inboundText(c.phoneNumberId, customer, "Bonjour, ma commande ?"));
    await h.runInbound();
    await h.runDeliveries();
    const [hook] = await waitForSink(c.inboundKey, 1);
    const body = await expectSignedByVonageRules(hook!, c);
    expect(body).toMatchObject({ channel: "whatsapp", message_type: "text", text: "Bonjour, ma commande ?", from: customer, profile: { name: "Mireille K." } });
    expect(String(body.message_uuid)).toMatch(/^wamid\./);
  });

  it("a customer's image comes as image.url, a path Tuma serves to the same Vonage credentials only", async () => {
    const c = await vonageMessagesClient();
    const other = await vonageMessagesClient();
    const h = new Harness();
    const mediaId = `14515${Date.now()}`;
    const customer = "243970006677";
    await h.intake(
      metaPayload(c.phoneNumberId, {
        contacts: [{ profile: { name: "Client" }, wa_id: customer }],
        messages: [{ from: customer, id: uniqueWamid(), timestamp: "1767261712", type: "image", image: { mime_type: "image/jpeg", id: mediaId, caption: "Mon reçu" } }],
      }),
    );
    await h.runInbound();
    await h.runDeliveries();
    const [hook] = await waitForSink(c.inboundKey, 1);
    const body = await expectSignedByVonageRules(hook!, c);
    expect(body).toMatchObject({ message_type: "image", image: { url: `/vonage/v1/messages/media/${mediaId}`, caption: "Mon reçu" } });
    const download = (who: typeof c) => exports.default.fetch(`${BASE}${(body.image as { url: string }).url}`, { headers: { Authorization: basic(who.apiKey, who.apiSecret) } });
    const res = await download(c);
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain(mediaId);
    expect((await download(other)).status).toBe(404);
  });
});
