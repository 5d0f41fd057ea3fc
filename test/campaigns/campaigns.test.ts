import { env } from "cloudflare:workers";
import { createMessageBatch, getQueueResult, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cancelCampaign, getCampaign, pauseCampaign, resumeCampaign } from "../../src/core/campaigns/control";
import { createCampaign } from "../../src/core/campaigns/create";
import { messageLog } from "../../src/core/messages/store";
import type { Env } from "../../src/config/env";
import worker from "../../src/index";
import { signupWithToken } from "../helpers";
import { createNativeEndpoint, Harness, sinkKey } from "../inbound/harness";
import { graphSends, holdsOf, metaCtx, storeTemplate, wallet } from "../messages/helpers";
import { campaignAccount, chargesOf, deliver, newAccount, parkedCampaign, PROMO, PROMO_MESSAGE, recipientRows, recipients } from "./helpers";

describe("campaign creation", () => {
  it("holds the price of every recipient at once and queues them; nothing is sent yet", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(4);
    const { id } = await parkedCampaign(accountId, to);
    expect((await recipientRows(id)).map((r) => r.state)).toEqual(["queued", "queued", "queued", "queued"]);
    const holds = await holdsOf(accountId);
    expect(holds).toHaveLength(4);
    expect(holds.every((h) => h.status === "HELD" && h.amount === 5)).toBe(true);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 1000, held: 20 });
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(0);
  });

  it("refuses a campaign the wallet cannot pay for in full: nothing held, nothing written, nothing queued", async () => {
    const { accountId } = await campaignAccount(14); // 3 × 5 cents needed
    const refused = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: PROMO_MESSAGE, recipients: recipients(3).map((to) => ({ to, parameters: ["A"] })) });
    expect(!refused.ok && refused.error.code).toBe("insufficient_funds");
    expect(await holdsOf(accountId)).toEqual([]);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 14, held: 0 });
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM campaigns WHERE account_id = ?").bind(accountId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("names the bad recipient and parameters, and keeps a person named twice once", async () => {
    const { accountId } = await campaignAccount();
    const [a, b] = recipients(2);
    const bad = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: PROMO_MESSAGE, recipients: [{ to: a!, parameters: ["A"] }, { to: "12", parameters: ["B"] }, { to: b!, parameters: [] }] });
    expect(!bad.ok && bad.error.details.issues?.map((i) => i.field)).toEqual(["recipients[1].to", "recipients[2].parameters"]);
    const twice = await createCampaign(metaCtx(), { accountId, phoneNumberId: null, message: PROMO_MESSAGE, recipients: [{ to: a!, parameters: ["A"] }, { to: `+${a}`, parameters: ["A"] }], startAt: Date.now() + 3_600_000 });
    expect(twice.ok && [twice.value.campaign.total, twice.value.duplicates]).toEqual([1, 1]);
  });
});

describe("exactly once", () => {
  it("a chunk delivered twice (queue re-delivery) sends each recipient once and charges each once", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(6);
    const { id, chunk, clock } = await parkedCampaign(accountId, to);
    await deliver(chunk, clock);
    await deliver(chunk, clock);
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(1);
    expect((await recipientRows(id)).every((r) => r.state === "sent" && r.calls === 1)).toBe(true);
    expect(await chargesOf(accountId)).toEqual({ n: 6, total: -30 });
    expect(await wallet(accountId, "USD")).toEqual({ balance: 970, held: 0 });
    const view = await getCampaign(metaCtx(clock), accountId, id);
    expect(view.ok && view.value).toMatchObject({ state: "done", counts: { queued: 0, sent: 6, failed: 0 } });
  });

  it("the same chunk delivered to two consumers at once sends each recipient once", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(10);
    const { chunk, clock } = await parkedCampaign(accountId, to);
    await Promise.all([deliver(chunk, clock), deliver(chunk, clock), deliver(chunk, clock)]);
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(1);
    expect(await chargesOf(accountId)).toEqual({ n: 10, total: -50 });
  });

  it("a consumer that dies midway through a chunk (the chaos switch) leaves the rest queued; the retry sends them, none twice", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(30); // at 80/s: several send batches of 100 ms
    const { id, chunk, clock } = await parkedCampaign(accountId, to);
    await expect(deliver(chunk, clock, { CHAOS_SEND_BATCH_FAILURE_RATE: "1" })).rejects.toThrow(/chaos/);
    const states = (await recipientRows(id)).map((r) => r.state);
    const sent = states.filter((s) => s === "sent").length;
    expect(sent).toBeGreaterThan(0);
    expect(states.filter((s) => s === "queued")).toHaveLength(30 - sent);
    await deliver(chunk, clock);
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(1);
    expect(await chargesOf(accountId)).toEqual({ n: 30, total: -150 });
  });

  it("through the SENDS consumer: a failed chunk is retried, the others acked", async () => {
    const { accountId } = await campaignAccount(1000);
    const { chunk } = await parkedCampaign(accountId, recipients(2));
    // Started in an hour: the consumer re-queues it for later and acks it.
    const batch = createMessageBatch("tuma-sends", [{ id: "c1", timestamp: new Date(), attempts: 1, body: chunk }]);
    const ctx = createExecutionContext();
    await worker.queue!(batch as never, env as never, ctx);
    await waitOnExecutionContext(ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["c1"]);
    expect(result.retryMessages).toEqual([]);
  });
});

describe("pause, resume, cancel", () => {
  it("a paused campaign sends nothing; resumed, it sends everyone once", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(3);
    const { id, chunk, clock } = await parkedCampaign(accountId, to);
    const ctx = metaCtx(clock);
    expect((await pauseCampaign(ctx, accountId, id)).ok).toBe(true);
    await deliver(chunk, clock);
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(0);
    const resumed = await resumeCampaign(ctx, accountId, id);
    expect(resumed.ok && resumed.value.state).toBe("running");
    await deliver(chunk, clock);
    for (const r of to) expect(await graphSends(r, phoneNumberId)).toBe(1);
    expect(!(await pauseCampaign(ctx, accountId, id)).ok).toBe(true); // done: nothing to pause
  });

  it("cancel voids the holds of what was not sent and keeps the charges of what was", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(1000);
    const to = recipients(30);
    const { id, chunk, clock } = await parkedCampaign(accountId, to);
    await expect(deliver(chunk, clock, { CHAOS_SEND_BATCH_FAILURE_RATE: "1" })).rejects.toThrow(/chaos/); // one send batch out
    const sent = (await recipientRows(id)).filter((r) => r.state === "sent").length;
    expect(sent).toBeGreaterThan(0);
    const cancelled = await cancelCampaign(metaCtx(clock), accountId, id);
    expect(cancelled.ok && cancelled.value).toMatchObject({ state: "cancelled", counts: { sent, cancelled: 30 - sent, queued: 0 } });
    const holds = await holdsOf(accountId);
    expect(holds.filter((h) => h.status === "POSTED")).toHaveLength(sent);
    expect(holds.filter((h) => h.status === "VOIDED")).toHaveLength(30 - sent);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 1000 - 5 * sent, held: 0 });
    await deliver(chunk, clock);
    expect((await Promise.all(to.map((r) => graphSends(r, phoneNumberId)))).reduce((a, b) => a + b)).toBe(sent);
    expect((await resumeCampaign(metaCtx(clock), accountId, id)).ok).toBe(false);
  });
});

describe("Meta's rate limits", () => {
  it("130429: the recipient is queued again with its hold, the number backs off, and the retry sends it once, charged once", async () => {
    const { accountId } = await campaignAccount(1000);
    const limited = recipients(1, "0429")[0]!;
    const { id, chunk, clock } = await parkedCampaign(accountId, [limited]);
    await deliver(chunk, clock);
    expect(await recipientRows(id)).toEqual([expect.objectContaining({ state: "queued", calls: 1 })]);
    expect((await holdsOf(accountId))[0]).toMatchObject({ status: "HELD" });
    await deliver(chunk, clock);
    expect(await recipientRows(id)).toEqual([expect.objectContaining({ state: "sent", calls: 2 })]);
    expect(await graphSends(limited)).toBe(2);
    expect(await chargesOf(accountId)).toEqual({ n: 1, total: -5 });
  });

  it("the pair limit: a second campaign to the same person from the same number within 6 s leaves them queued", async () => {
    const { accountId } = await campaignAccount(1000);
    const [shared, other] = recipients(2);
    const first = await parkedCampaign(accountId, [shared!]);
    await deliver(first.chunk, first.clock);
    const second = await parkedCampaign(accountId, [shared!, other!]);
    await deliver(second.chunk, second.clock);
    expect((await recipientRows(second.id)).map((r) => r.state)).toEqual(["queued", "sent"]);
    expect(await graphSends(shared!)).toBe(1);
  });
});

describe("accounts and numbers", () => {
  it("another account's campaign answers not found to every call", async () => {
    const { accountId } = await campaignAccount(1000);
    const { id } = await parkedCampaign(accountId, recipients(1));
    const other = await newAccount();
    for (const call of [getCampaign, pauseCampaign, resumeCampaign, cancelCampaign]) {
      const r = await call(metaCtx(), other, id);
      expect(!r.ok && r.error.code).toBe("not_found");
    }
    expect((await holdsOf(accountId))[0]).toMatchObject({ status: "HELD" });
  });
});

describe.each(["d1", "durable"] as const)("progress, message log in %s", (store) => {
  it("a sandbox campaign's statuses take the single send's intake: each message's timeline shows sent, delivered and read, the counts move once (read from the log), and each status event carries the campaign and its metadata", async () => {
    const account = await signupWithToken();
    await storeTemplate(account.id, { ...PROMO, category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const unreachable = recipients(1, "0000")[0]!; // the sandbox's "not on WhatsApp"
    const h = new Harness({ MESSAGE_LOG: store } as Partial<Env>);
    await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${sinkKey()}/ok`);
    const to = [...recipients(3), unreachable];
    const created = await createCampaign(h.ctx, { accountId: account.id, phoneNumberId: null, message: PROMO_MESSAGE, recipients: to.map((t) => ({ to: t, parameters: ["Amina"] })), clientData: { batch: "nov-1" }, forceSandbox: true });
    if (!created.ok) throw created.error;
    await h.settle();
    await h.run("tuma-sends"); // the chunk: sent, and the first status step of each queued
    const sentOnly = await getCampaign(h.ctx, account.id, created.value.campaign.id);
    expect(sentOnly.ok && sentOnly.value.counts).toMatchObject({ sent: 4, delivered: 0, read: 0, failed: 0 });
    for (let step = 0; step < 3; step++) {
      h.clock.advance(1000);
      await h.run("tuma-sends");
      await h.runInbound();
    }
    const view = await getCampaign(h.ctx, account.id, created.value.campaign.id);
    expect(view.ok && view.value).toMatchObject({ state: "done", total: 4, charge: null, counts: { sent: 4, delivered: 3, read: 3, failed: 1, queued: 0 } });
    const rows = await recipientRows(created.value.campaign.id);
    const timeline = async (id: string) => (await messageLog(h.ctx).detail(account.id, id))!.timeline.map((t) => t.status);
    expect(await timeline(rows[0]!.message_id)).toEqual(["accepted", "sent", "delivered", "read"]);
    expect(await timeline(rows[3]!.message_id)).toEqual(["accepted", "failed"]);
    // Where the messages are: only in the store the setting names.
    const inD1 = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE campaign_id = ?").bind(created.value.campaign.id).first<{ n: number }>();
    expect(inD1!.n).toBe(store === "d1" ? 4 : 0);
    const { results } = await env.DB.prepare("SELECT event FROM deliveries WHERE account_id = ?").bind(account.id).all<{ event: string }>();
    const statuses = results.map((r) => JSON.parse(r.event)).filter((e) => e.type === "message.status");
    expect(statuses).toHaveLength(10); // 3 × sent, delivered, read and 1 failed
    for (const e of statuses) expect(e.status).toMatchObject({ campaign_id: created.value.campaign.id, client_data: { batch: "nov-1" } });
  });
});
