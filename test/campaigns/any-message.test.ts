import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { announceMissedCompletions } from "../../src/core/campaigns/completion";
import { cancelCampaign, getCampaign } from "../../src/core/campaigns/control";
import { createCampaign, type CampaignInput } from "../../src/core/campaigns/create";
import { CHUNK_KIND, type ChunkMessage } from "../../src/core/campaigns/model";
import type { CanonicalEvent } from "../../src/core/client-webhooks/events";
import { HOUR, MINUTE } from "../../src/lib/clock";
import { ManualClock } from "../helpers";
import { createNativeEndpoint, sinkKey } from "../inbound/harness";
import { graphSends, holdsOf, metaCtx, openWindow, storeTemplate, wallet } from "../messages/helpers";
import { campaignAccount, deliver, PROMO_MESSAGE, recipientRows, recipients } from "./helpers";

/** A campaign of `message` that starts in an hour (the queue's consumer leaves it alone); the test delivers its chunk. */
async function parked(accountId: string, message: CampaignInput["message"], to: string[], extra: Partial<CampaignInput> = {}) {
  const start = Date.now() + HOUR;
  const created = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message, recipients: to.map((t) => ({ to: t })), startAt: start, ...extra });
  if (!created.ok) throw created.error;
  const chunk: ChunkMessage = { kind: CHUNK_KIND, campaignId: created.value.campaign.id, accountId, seqs: to.map((_, i) => i) };
  return { id: created.value.campaign.id, chunk, clock: new ManualClock(start + 1000) };
}

const sentToMeta = async (to: string) => (await fetch(`https://graph.facebook.com/v23.0/fake/sent-message/${to}`)).json<{ template: { components: unknown[] } } | null>();

async function completedEvents(campaignId: string) {
  const { results } = await env.DB.prepare("SELECT event FROM deliveries WHERE event_id = ?").bind(`evt_${campaignId}_completed`).all<{ event: string }>();
  return results.map((r) => JSON.parse(r.event) as CanonicalEvent);
}

describe("a campaign of any message", () => {
  it("a template with a header image, a URL button and a currency parameter reaches Meta with those components; a recipient's own parameters replace the body only", async () => {
    const { accountId } = await campaignAccount(1000);
    await storeTemplate(accountId, {
      name: "soldes_image",
      language: "fr",
      category: "MARKETING",
      components: [
        { type: "HEADER", format: "IMAGE" },
        { type: "BODY", text: "Bonjour {{1}}, {{2}} de remise" },
        { type: "BUTTONS", buttons: [{ type: "URL", text: "Voir", url: "https://shop.example.com/p/{{1}}" }, { type: "QUICK_REPLY", text: "Stop" }] },
      ],
    });
    const header = { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example.com/promo.jpg" } }] };
    const body = { type: "body", parameters: [{ type: "text", text: "Amina" }, { type: "currency", currency: { fallback_value: "$10.99", code: "USD", amount_1000: 10990 } }] };
    const button = { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "promo-42" }] };
    const message = { type: "template", template: { name: "soldes_image", language: { code: "fr" }, components: [header, body, button] } };
    const [first, second] = recipients(2);
    const start = Date.now() + HOUR;
    const created = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message, recipients: [{ to: first! }, { to: second!, parameters: ["Ana", "15 %"] }], startAt: start });
    if (!created.ok) throw created.error;
    expect(created.value.campaign).toMatchObject({ type: "template", template: { name: "soldes_image", language: "fr" }, category: "marketing" });
    await deliver({ kind: CHUNK_KIND, campaignId: created.value.campaign.id, accountId, seqs: [0, 1] }, new ManualClock(start + 1000));
    expect((await sentToMeta(first!))!.template.components).toEqual([header, body, button]);
    const own = { type: "body", parameters: [{ type: "text", text: "Ana" }, { type: "text", text: "15 %" }] };
    expect((await sentToMeta(second!))!.template.components).toEqual([header, button, own]);
  });

  it("refuses, before anything is written, a template whose header parameter is missing, naming the field", async () => {
    const { accountId } = await campaignAccount(1000);
    await storeTemplate(accountId, { name: "avec_image", language: "fr", category: "MARKETING", components: [{ type: "HEADER", format: "IMAGE" }, { type: "BODY", text: "Bonjour" }] });
    const refused = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: { type: "template", template: { name: "avec_image", language: { code: "fr" } } }, recipients: [{ to: recipients(1)[0]! }] });
    expect(!refused.ok && refused.error.details.issues).toEqual([expect.objectContaining({ field: "template.components", kind: "count_mismatch" })]);
    expect(await holdsOf(accountId)).toEqual([]);
  });

  it("a free-form text goes to the recipients inside their 24-hour window only; the others are refused for the window, never sent, never charged", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const [inside, outside, stale] = recipients(3);
    await openWindow(phoneNumberId, inside!);
    await openWindow(phoneNumberId, stale!, Date.now() - 25 * HOUR);
    const { id, chunk, clock } = await parked(accountId, { type: "text", text: { body: "Votre colis arrive demain" } }, [inside!, outside!, stale!]);
    await deliver(chunk, clock);
    expect([await graphSends(inside!), await graphSends(outside!), await graphSends(stale!)]).toEqual([1, 0, 0]);
    expect((await recipientRows(id)).map((r) => r.state)).toEqual(["sent", "refused", "refused"]);
    const reasons = await env.DB.prepare("SELECT reason FROM campaign_recipients WHERE campaign_id = ? ORDER BY seq").bind(id).all<{ reason: string | null }>();
    expect(reasons.results.map((r) => r.reason)).toEqual([null, "window_closed", "window_closed"]);
    const view = await getCampaign(metaCtx(clock), accountId, id);
    expect(view.ok && view.value).toMatchObject({ state: "done", type: "text", template: null, category: "service", counts: { sent: 1, refused: 2, failed: 0, queued: 0 }, charged: null });
    expect(await holdsOf(accountId)).toEqual([]);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 1000, held: 0 });
  });

  it("an image by link and parameters on a free-form message: the message is the single send's, and parameters are refused", async () => {
    const { accountId } = await campaignAccount(1000);
    const image = { type: "image", image: { link: "http://127.0.0.1/x.jpg" } };
    const local = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: image, recipients: [{ to: recipients(1)[0]! }] });
    expect(!local.ok && local.error.details.issues?.[0]?.field).toBe("image.link");
    const params = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: { type: "text", text: { body: "x" } }, recipients: [{ to: recipients(1)[0]!, parameters: ["A"] }] });
    expect(!params.ok && params.error.details.issues?.[0]?.field).toBe("recipients[0].parameters");
  });
});

describe("campaign.completed", () => {
  it("reaches the native webhooks once, with the final counts, the charge total and the client's metadata", async () => {
    const { accountId } = await campaignAccount(1000);
    await createNativeEndpoint(metaCtx(), accountId, `https://hooks.sink.test/${sinkKey()}/ok`);
    const to = [...recipients(2), recipients(1, "1026")[0]!]; // the last one: Meta's 131026, failed
    const { id, chunk, clock } = await parked(accountId, PROMO_MESSAGE, to, { recipients: to.map((t) => ({ to: t, parameters: ["Amina"] })), clientData: { batch: "nov-1" } });
    await deliver(chunk, clock);
    await deliver(chunk, clock); // a re-delivered chunk ends nothing twice
    clock.advance(2 * MINUTE);
    await announceMissedCompletions(metaCtx(clock), 1000); // already announced: the cron adds nothing
    const events = await completedEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "campaign.completed",
      campaign: {
        id,
        state: "done",
        type: "template",
        total: 3,
        counts: { sent: 2, delivered: 0, read: 0, failed: 1, refused: 0, cancelled: 0 },
        charge: { amount: "0.10", currency: "USD" },
        client_data: { batch: "nov-1" },
      },
    });
  });

  it("is delivered once after a cancel, with what was cancelled", async () => {
    const { accountId } = await campaignAccount(1000);
    await createNativeEndpoint(metaCtx(), accountId, `https://hooks.sink.test/${sinkKey()}/ok`);
    const to = recipients(3);
    const { id, clock } = await parked(accountId, PROMO_MESSAGE, to, { recipients: to.map((t) => ({ to: t, parameters: ["Amina"] })) });
    expect((await cancelCampaign(metaCtx(clock), accountId, id)).ok).toBe(true);
    expect((await cancelCampaign(metaCtx(clock), accountId, id)).ok).toBe(true); // cancelled already: nothing more
    const events = await completedEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]!.campaign).toMatchObject({ state: "cancelled", counts: { sent: 0, cancelled: 3 }, charge: { amount: "0.00", currency: "USD" } });
  });

  it("an end whose announcement was lost is announced by the cron, once", async () => {
    const { accountId } = await campaignAccount(1000);
    await createNativeEndpoint(metaCtx(), accountId, `https://hooks.sink.test/${sinkKey()}/ok`);
    const to = recipients(1);
    const { id, clock } = await parked(accountId, PROMO_MESSAGE, to, { recipients: [{ to: to[0]!, parameters: ["Amina"] }] });
    // Cancelled by a consumer that died before announcing it: the state moved, nothing was fanned out.
    await env.DB.prepare("UPDATE campaigns SET state = 'cancelled', updated_at = ? WHERE id = ?").bind(clock.now(), id).run();
    expect(await completedEvents(id)).toEqual([]);
    clock.advance(2 * MINUTE);
    await announceMissedCompletions(metaCtx(clock), 1000);
    await announceMissedCompletions(metaCtx(clock), 1000);
    expect(await completedEvents(id)).toHaveLength(1);
  });
});
