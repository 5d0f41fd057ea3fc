import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { postHoldStatement, reserveHoldStatement } from "../../src/stores/money/holds";
import { refundReference } from "../../src/stores/money/references";
import { sendMessage } from "../../src/core/messages/send";
import { windowOpen } from "../../src/core/messages/window";
import { signup } from "../helpers";
import { fund, input, readyNumber, recipient, text, wallet } from "../messages/helpers";
import { Harness, createNativeEndpoint, metaPayload, sinkKey, sinkLog, statusPayload, uniqueWamid } from "./harness";

async function setup() {
  const account = await signup();
  const phoneNumberId = await readyNumber(account.id);
  const h = new Harness();
  const key = sinkKey();
  await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/ok`);
  return { account, phoneNumberId, h, key };
}

const messageRow = (wamid: string) => env.DB.prepare("SELECT id, status, error, pricing FROM messages WHERE wamid = ?").bind(wamid).first<{ id: string; status: string; error: string | null; pricing: string | null }>();

describe("Statuses from Meta", () => {
  it("statuses arriving read → sent → delivered leave the message read, and each reaches the client once", async () => {
    const { account, phoneNumberId, h, key } = await setup();
    const sent = await sendMessage(h.ctx, input(account.id, text(recipient())));
    if (!sent.ok) throw sent.error;
    const wamid = sent.value.wamid;
    for (const status of ["read", "sent", "delivered", "sent"]) await h.intake(statusPayload(phoneNumberId, wamid, status));
    await h.runInbound();
    expect((await messageRow(wamid))!.status).toBe("read");
    await h.runDeliveries();
    const events = (await sinkLog(key)).map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.status.status).sort()).toEqual(["delivered", "read", "sent"]);
    expect(events.every((e) => e.type === "message.status" && e.status.message_id === sent.value.id)).toBe(true);
  });

  it("the sandbox's statuses are signed Meta payloads through the same intake: sent, delivered, read reach the client", async () => {
    const { account, h, key } = await setup();
    const sent = await sendMessage(h.ctx, input(account.id, text(recipient()), { clientData: { order: "A-17" } }));
    if (!sent.ok) throw sent.error;
    await h.settle();
    for (let step = 0; step < 3; step++) {
      h.clock.advance(1000);
      await h.run("tuma-sends");
      await h.runInbound();
    }
    expect((await messageRow(sent.value.wamid))!.status).toBe("read");
    const sources = await env.DB.prepare("SELECT DISTINCT source FROM meta_events WHERE instr(event_key, ?) = 1")
      .bind(`status:${sent.value.wamid}:`)
      .all<{ source: string }>();
    expect(sources.results).toEqual([{ source: "sandbox" }]);
    await h.runDeliveries();
    const events = (await sinkLog(key)).map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.status.status)).toEqual(["sent", "delivered", "read"]);
    expect(events[0].status.client_data).toEqual({ order: "A-17" });
    expect(events[0].status.pricing).toMatchObject({ pricing_model: "PMP", category: "service" });
  });

  it("failed is terminal, keeps Meta's error and refunds the posted charge exactly once", async () => {
    const { account, phoneNumberId, h } = await setup();
    await fund(account.id, "USD", 1000);
    const wamid = uniqueWamid();
    const messageId = `msg_${crypto.randomUUID().replace(/-/g, "")}`;
    const [reserved, posted] = await h.ctx.db.batch([
      reserveHoldStatement(h.ctx.db, { accountId: account.id, currency: "USD", amount: 2, reference: messageId, expiresAt: Date.now() + 60_000, now: Date.now() }),
      postHoldStatement(h.ctx.db, account.id, messageId, Date.now()),
    ]);
    expect(reserved!.results).toHaveLength(1);
    expect(posted!.results).toHaveLength(1);
    await env.DB.prepare(
      `INSERT INTO messages (id, account_id, phone_number_id, upstream, to_input, wa_id, type, category, wamid, status, hold_reference, charge_currency, charge_amount, created_at, updated_at)
       VALUES (?, ?, ?, 'meta', '243970001122', '243970001122', 'template', 'utility', ?, 'accepted', ?, 'USD', 2, 0, 0)`,
    )
      .bind(messageId, account.id, phoneNumberId, wamid, messageId)
      .run();
    expect((await wallet(account.id, "USD"))!.balance).toBe(998);
    const failure = { errors: [{ code: 131047, title: "Re-engagement message", message: "Re-engagement message", error_data: { details: "More than 24 hours" } }] };
    await h.intake(statusPayload(phoneNumberId, wamid, "sent", { pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" } }));
    await h.intake(statusPayload(phoneNumberId, wamid, "failed", failure));
    await h.intake(statusPayload(phoneNumberId, wamid, "delivered"));
    await h.runInbound();
    // The same failure processed again (a lost ack) refunds nothing more.
    const failedEvent = await env.DB.prepare("SELECT id FROM meta_events WHERE event_key = ?").bind(`status:${wamid}:failed`).first<{ id: string }>();
    await env.DB.prepare("UPDATE meta_events SET state = 'received' WHERE id = ?").bind(failedEvent!.id).run();
    await h.ctx.env.INBOUND.send({ kind: "meta_event", eventId: failedEvent!.id });
    await h.runInbound();
    const row = await messageRow(wamid);
    expect(row!.status).toBe("failed");
    expect(JSON.parse(row!.error!)).toMatchObject({ code: 131047, title: "Re-engagement message" });
    expect(JSON.parse(row!.pricing!)).toMatchObject({ category: "utility" });
    expect((await wallet(account.id, "USD"))!.balance).toBe(1000);
    const refunds = await env.DB.prepare("SELECT amount FROM ledger_entries WHERE account_id = ? AND reference LIKE ?").bind(account.id, `${refundReference("")}%`).all();
    expect(refunds.results).toEqual([{ amount: 2 }]);
  });
});

describe("Inbound messages", () => {
  const samples: Record<string, Record<string, unknown>> = {
    text: { text: { body: "Bonjour" } },
    image: { image: { caption: "Reçu", mime_type: "image/jpeg", sha256: "abc", id: "1451200388123456" } },
    video: { video: { mime_type: "video/mp4", sha256: "abc", id: "1451200388123457" } },
    audio: { audio: { mime_type: "audio/ogg", sha256: "abc", id: "1451200388123458", voice: true } },
    document: { document: { filename: "facture.pdf", mime_type: "application/pdf", sha256: "abc", id: "1451200388123459" } },
    sticker: { sticker: { mime_type: "image/webp", sha256: "abc", id: "1451200388123460", animated: false } },
    location: { location: { latitude: -4.325, longitude: 15.322, name: "Gombe" } },
    contacts: { contacts: [{ name: { formatted_name: "Jean M." }, phones: [{ phone: "+243970001199" }] }] },
    interactive: { interactive: { type: "button_reply", button_reply: { id: "yes", title: "Oui" } } },
    button: { button: { payload: "CONFIRM", text: "Confirmer" } },
    reaction: { reaction: { message_id: "wamid.X", emoji: "👍" } },
    order: { order: { catalog_id: "1", text: "Merci", product_items: [{ product_retailer_id: "sku", quantity: 1, item_price: 10, currency: "USD" }] } },
    system: { system: { body: "Le client a changé de numéro", wa_id: "243970001100", type: "user_changed_number" } },
    unsupported: { errors: [{ code: 131051, title: "Message type unknown" }], unsupported: { type: "poll" } },
  };

  it("records every inbound type of Meta's reference, with media ids, and opens the customer's 24-hour window", async () => {
    const { phoneNumberId, h, key } = await setup();
    const customers: Record<string, string> = {};
    for (const [type, content] of Object.entries(samples)) {
      const from = recipient();
      customers[type] = from;
      const message = { from, id: uniqueWamid(), timestamp: String(Math.floor(h.clock.now() / 1000)), type, ...content };
      await h.intake(metaPayload(phoneNumberId, { ...(type === "system" ? {} : { contacts: [{ profile: { name: "Client" }, wa_id: from }] }), messages: [message] }));
    }
    await h.runInbound();
    for (const [type, from] of Object.entries(customers)) {
      const row = await env.DB.prepare("SELECT type, media_id FROM inbound_messages WHERE from_wa_id = ? AND phone_number_id = ?").bind(from, phoneNumberId).first<{ type: string; media_id: string | null }>();
      expect(row?.type, type).toBe(type);
      const media = (samples[type]![type] as { id?: string } | undefined)?.id ?? null;
      expect(row?.media_id, type).toBe(["image", "video", "audio", "document", "sticker"].includes(type) ? media : null);
      expect(await windowOpen(h.ctx, phoneNumberId, from), type).toBe(true);
    }
    await h.runDeliveries();
    expect((await sinkLog(key)).map((r) => JSON.parse(r.body).message.type).sort()).toEqual(Object.keys(samples).sort());
  });
});
