import { normalizeWebhook, verifySignature } from "@kapso/whatsapp-cloud-api/server";
import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../fakes/webhook-sink";
import { Harness, metaPayload, sinkKey, sinkLog, uniqueWamid, waitForSink } from "../inbound/harness";
import { seedReadyNumber } from "../fixtures/numbers";
import { cloudClient, customer, expectGraphError, graph, putWebhook, type CloudClient } from "./helpers";

const isPost = (r: SinkRecord) => r.method === "POST";

/**
 * The client's receiver, as Meta documents it: `X-Hub-Signature-256` is `sha256=` and the hex
 * HMAC-SHA256 of the raw body with the app secret (checked with Kapso's verifySignature, a receiver
 * written for Meta's webhooks), and the body a Cloud API payload (Kapso's normalizeWebhook).
 */
function receive(record: SinkRecord, c: CloudClient) {
  expect(verifySignature({ appSecret: c.appSecret, rawBody: record.body, signatureHeader: record.headers["x-hub-signature-256"] })).toBe(true);
  expect(verifySignature({ appSecret: `${c.appSecret}x`, rawBody: record.body, signatureHeader: record.headers["x-hub-signature-256"] })).toBe(false);
  const payload = JSON.parse(record.body) as { object: string; entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[] };
  expect(payload.object).toBe("whatsapp_business_account");
  expect(payload.entry[0]!.changes[0]!.value.messaging_product).toBe("whatsapp");
  return { payload, normalized: normalizeWebhook(payload) };
}

describe("Cloud API webhooks", () => {
  it("a URL is registered only after it answers Meta's verification request with the challenge", async () => {
    const c = await cloudClient();
    const key = sinkKey();
    const refused = await putWebhook(c.nativeToken, `https://hooks.sink.test/${key}/meta/right-token`, "wrong-token");
    expect(refused.status).toBe(400);
    const [probe] = await sinkLog(key);
    const query = new URL(probe!.url).searchParams;
    expect(probe!.method).toBe("GET");
    expect(query.get("hub.mode")).toBe("subscribe");
    expect(query.get("hub.verify_token")).toBe("wrong-token");
    expect(query.get("hub.challenge")).toMatch(/^\d+$/);
    expect((await putWebhook(c.nativeToken, `https://hooks.sink.test/${key}/dead`, "t")).status).toBe(400);
    expect((await putWebhook(c.nativeToken, `https://hooks.sink.test/${key}/meta/right-token`, "right-token")).status).toBe(200);
  });

  it("every status of a sent message (sent, delivered, read; failed with Meta's error) arrives signed, as Cloud API statuses", async () => {
    const c = await cloudClient();
    const to = customer();
    const sent = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to, type: "text", text: { body: "Bonjour" } });
    const wamid = (await sent.json<{ messages: { id: string }[] }>()).messages[0]!.id;
    // The sandbox fails a recipient ending 0000 as "not on WhatsApp" (131026), as Meta reports it.
    const failed = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: "243970000000", type: "text", text: { body: "Allô ?" } });
    const failedWamid = (await failed.json<{ messages: { id: string }[] }>()).messages[0]!.id;

    await waitForSink(c.sink, 1, (r) => isPost(r) && r.body.includes(failedWamid) && r.body.includes('"failed"'));
    await waitForSink(c.sink, 3, (r) => isPost(r) && r.body.includes(wamid));
    const posts = (await sinkLog(c.sink)).filter(isPost);
    const statuses = posts.map((p) => receive(p, c)).flatMap(({ payload, normalized }) => {
      expect(normalized.phoneNumberId).toBe(c.phoneNumberId);
      expect(payload.entry[0]!.changes[0]!.field).toBe("messages");
      return normalized.statuses;
    });
    expect(statuses.filter((s) => s.id === wamid).map((s) => s.status).sort()).toEqual(["delivered", "read", "sent"]);
    for (const s of statuses.filter((s) => s.id === wamid)) expect(s).toMatchObject({ recipientId: to, timestamp: expect.stringMatching(/^\d+$/) });
    const failure = statuses.find((s) => s.id === failedWamid && s.status === "failed");
    expect(failure?.errors?.[0]).toMatchObject({ code: 131026, title: expect.any(String) });
  }, 60_000);

  it("customers' messages (text, image, reply) arrive signed, as Cloud API messages with their contact", async () => {
    const c = await cloudClient();
    const h = new Harness();
    const from = customer();
    const ts = String(Math.floor(Date.now() / 1000));
    const contacts = [{ profile: { name: "Mireille K." }, wa_id: from }];
    await h.intake(metaPayload(c.phoneNumberId, { contacts, messages: [{ from, id: uniqueWamid(), timestamp: ts, type: "text", text: { body: "Bonjour, ma commande ?" } }] }));
    await h.intake(metaPayload(c.phoneNumberId, { contacts, messages: [{ from, id: uniqueWamid(), timestamp: ts, type: "image", image: { id: "1451", mime_type: "image/jpeg", caption: "Reçu" } }] }));
    await h.intake(
      metaPayload(c.phoneNumberId, {
        contacts,
        messages: [{ from, id: uniqueWamid(), timestamp: ts, type: "button", button: { payload: "OUI", text: "Oui" }, context: { from: "243815550100", id: "wamid.OUT" } }],
      }),
    );
    await h.runInbound();
    await h.runDeliveries();
    const posts = await waitForSink(c.sink, 3, isPost);
    const received = posts.map((p) => receive(p, c).normalized);
    for (const r of received) expect(r.contacts[0]).toMatchObject({ waId: from, profile: { name: "Mireille K." } });
    const messages = received.flatMap((r) => r.messages);
    expect(messages.map((m) => m.type).sort()).toEqual(["button", "image", "text"]);
    expect(messages.find((m) => m.type === "text")).toMatchObject({ from, text: { body: "Bonjour, ma commande ?" } });
    expect(messages.find((m) => m.type === "image")).toMatchObject({ image: { id: "1451", caption: "Reçu" } });
  });

  it("a number's own callback URL (POST /{phone-number-id} webhook_configuration) is verified first, then takes that number's events from the account's webhook", async () => {
    const c = await cloudClient();
    const second = await seedReadyNumber(c.accountId);
    const own = sinkKey();
    const override = (url: string, verifyToken?: string) =>
      graph("POST", `/${c.phoneNumberId}`, c.accessToken, { webhook_configuration: { override_callback_uri: url, ...(verifyToken ? { verify_token: verifyToken } : {}) } });
    await expectGraphError(await override(`https://hooks.sink.test/${own}/meta/right`, "wrong"), 400, 100);
    await expectGraphError(await override(`https://hooks.sink.test/${own}/meta/right`), 400, 100);
    const other = await cloudClient();
    expect((await expectGraphError(await graph("POST", `/${other.phoneNumberId}`, c.accessToken, { webhook_configuration: { override_callback_uri: "" } }), 400, 100)).error_subcode).toBe(33);
    const set = await override(`https://hooks.sink.test/${own}/meta/right`, "right");
    expect(await set.json()).toEqual({ success: true });
    const read = await graph("GET", `/${c.phoneNumberId}?fields=id,webhook_configuration`, c.accessToken);
    expect(await read.json()).toMatchObject({ webhook_configuration: { application: expect.stringContaining(c.sink), phone_number: `https://hooks.sink.test/${own}/meta/right` } });

    const h = new Harness();
    const inbound = (phoneNumberId: string, body: string) =>
      h.intake(metaPayload(phoneNumberId, { contacts: [{ profile: { name: "Awa" }, wa_id: "243970001111" }], messages: [{ from: "243970001111", id: uniqueWamid(), timestamp: "1767261600", type: "text", text: { body } }] }));
    await inbound(c.phoneNumberId, "pour le numéro");
    await inbound(second.phoneNumberId, "pour le compte");
    await h.runInbound();
    await h.runDeliveries();
    const [mine] = await waitForSink(own, 1, isPost);
    expect(receive(mine!, c).normalized).toMatchObject({ phoneNumberId: c.phoneNumberId, messages: [{ text: { body: "pour le numéro" } }] });
    const app = await waitForSink(c.sink, 1, isPost);
    expect(app.map((p) => receive(p, c).normalized.phoneNumberId)).toEqual([second.phoneNumberId]);

    expect(await (await override("")).json()).toEqual({ success: true });
    await inbound(c.phoneNumberId, "de retour");
    await h.runInbound();
    await h.runDeliveries();
    await waitForSink(c.sink, 2, isPost);
    expect((await sinkLog(own)).filter((r) => r.method === "POST")).toHaveLength(1);
  });
});
