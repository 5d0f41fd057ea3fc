import { whatsappUpstream } from "../../upstream/whatsapp";
import { fault, type OutboundMessage, type UpstreamResult, type WhatsAppUpstream } from "../../upstream/whatsapp/types";
import type { CoreContext } from "../context";
import { settleHoldStatement } from "../holds";
import { scheduleSandboxStatuses } from "../messages/sandbox-statuses";
import { sendFault } from "../messages/send-errors";
import { insertPendingStatement, type MessageRow } from "../messages/store";
import { validateMessage } from "../messages/validate";
import { PAIR_GAP_MS } from "../../durable/pacer";
import { templateMessage } from "./create";
import { finishStatement } from "./control";
import { enqueueChunks, findCampaign, pacerOf, type CampaignRow, type ChunkMessage, type RecipientRow } from "./model";

/**
 * The SENDS consumer of one chunk of a campaign. It asks the number's Deployment object for
 * permits for the whole chunk at once, then sends each recipient at its permit's instant, at most
 * CONCURRENCY at a time. Each send first claims its recipient (queued → sending, only while the
 * campaign runs, in one guarded statement), so a re-delivered or concurrently delivered chunk
 * sends nobody twice, and a consumer that dies leaves the rest queued for the retry.
 */
const CONCURRENCY = 32;
/** Upstream calls per recipient before a rate limit or a transient fault becomes a failure. */
const MAX_CALLS = 6;
/** Deferred recipients due within this wait in the same consumer; later ones are queued again. */
const WAIT_IN_PLACE_MS = 5000;

const THROUGHPUT_LIMIT = 130429;
const PAIR_LIMIT = 131056;

type Retry = { seq: number; delayMs: number };

export async function runChunk(ctx: CoreContext, chunk: ChunkMessage): Promise<void> {
  const c = await findCampaign(ctx, chunk.accountId, chunk.campaignId);
  // Paused: resume queues the rest again; cancelled or done: nothing is left to send.
  if (!c || c.state !== "running") return;
  const wait = c.start_at - ctx.clock.now();
  if (wait > 0) return enqueueChunks(ctx, c, chunk.seqs, wait / 1000);

  let pending = await queuedRecipients(ctx, c.id, chunk.seqs);
  const pacer = pacerOf(ctx, c);
  const upstream = whatsappUpstream(c.upstream, ctx.env, ctx.log);
  // Test and benchmark fault switch: this consumer dies halfway through the chunk.
  const dieAfter = Math.random() < ctx.config.CHAOS_SEND_BATCH_FAILURE_RATE ? Math.floor(pending.length / 2) : Infinity;
  const retries: Retry[] = [];
  const unused: string[] = []; // permits not used: their pairs are released
  const inflight = new Set<Promise<void>>();
  let started = 0;

  while (pending.length) {
    const byWaId = new Map(pending.map((r) => [r.wa_id, r]));
    const permits = await pacer.permits(pending.map((r) => r.wa_id));
    for (const [i, slot] of permits.slots.entries()) {
      if (started === dieAfter) {
        await Promise.all(inflight);
        await pacer.release([...unused, ...permits.slots.slice(i).map((s) => s.waId)]);
        throw new Error(`chaos: the consumer of campaign ${c.id} died after ${started} sends`);
      }
      await sleep(slot.at - Date.now());
      while (inflight.size >= CONCURRENCY) await Promise.race(inflight);
      started += 1;
      const r = byWaId.get(slot.waId)!;
      const job = sendOne(ctx, c, r, upstream).then(async (outcome) => {
        // Not sent (skipped, or refused other than for the pair): the pair owes nothing.
        if (outcome === "skipped" || (typeof outcome === "object" && outcome.code !== PAIR_LIMIT)) unused.push(r.wa_id);
        if (typeof outcome !== "object") return;
        retries.push({ seq: r.seq, delayMs: outcome.delayMs });
        if (outcome.code === THROUGHPUT_LIMIT) await pacer.backoff(Date.now() + outcome.delayMs);
        if (outcome.code === PAIR_LIMIT) await pacer.backoff(Date.now() + outcome.delayMs, r.wa_id);
      });
      inflight.add(job);
      void job.finally(() => inflight.delete(job));
    }
    const now = Date.now();
    const soon = permits.deferred.filter((d) => d.until - now <= WAIT_IN_PLACE_MS);
    for (const d of permits.deferred) if (d.until - now > WAIT_IN_PLACE_MS) retries.push({ seq: byWaId.get(d.waId)!.seq, delayMs: d.until - now });
    if (soon.length) await sleep(Math.min(...soon.map((d) => d.until)) - Date.now());
    pending = soon.map((d) => byWaId.get(d.waId)!);
  }
  await Promise.all(inflight);
  if (unused.length) await pacer.release(unused);
  for (const [delaySeconds, seqs] of groupByDelay(retries)) await enqueueChunks(ctx, c, seqs, delaySeconds);
  await finishStatement(ctx, c.id).run();
}

async function queuedRecipients(ctx: CoreContext, campaignId: string, seqs: number[]): Promise<RecipientRow[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT campaign_id, seq, wa_id, to_input, parameters, message_id, state, calls FROM campaign_recipients
       WHERE campaign_id = ? AND state = 'queued' AND seq IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    )
    .bind(campaignId, JSON.stringify(seqs))
    .all<RecipientRow>();
  return results;
}

/**
 * Sends one recipient once: claim, call, record. Answers a retry (the recipient is queued again,
 * its hold still HELD) for a rate limit or a transient fault, until MAX_CALLS.
 */
async function sendOne(ctx: CoreContext, c: CampaignRow, r: RecipientRow, upstream: WhatsAppUpstream): Promise<"skipped" | "done" | { delayMs: number; code?: number }> {
  const claimed = await ctx.db
    .prepare(
      `UPDATE campaign_recipients SET state = 'sending', claimed_at = ?1, calls = calls + 1
       WHERE campaign_id = ?2 AND seq = ?3 AND state = 'queued'
       AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?2 AND state = 'running')
       AND (?4 = 0 OR EXISTS (SELECT 1 FROM holds WHERE account_id = ?5 AND reference = message_id AND status = 'HELD'))
       RETURNING calls`,
    )
    .bind(ctx.clock.now(), c.id, r.seq, c.charge_amount ? 1 : 0, c.account_id)
    .first<{ calls: number }>();
  if (!claimed) return "skipped";
  const template = JSON.parse(c.template) as { name: string; language: { code: string } };
  const valid = validateMessage(templateMessage({ name: template.name, language: template.language.code }, r.wa_id, r.parameters ? JSON.parse(r.parameters) : []), (p) => p);
  let sent: UpstreamResult<{ wamid: string }>;
  try {
    sent = valid.ok ? await upstream.sendMessage(c.phone_number_id, valid.value.message as OutboundMessage, { retry: false }) : fault({ transient: false, invalidInput: true, message: valid.error.message });
  } catch (e) {
    ctx.log.log("error", "campaign_send_threw", { campaign_id: c.id, seq: r.seq, error_message: String(e) });
    sent = fault({ transient: true, message: "The upstream call failed unexpectedly" });
  }
  const now = ctx.clock.now();
  const row: Omit<MessageRow, "wamid" | "status" | "error" | "updated_at"> = {
    id: r.message_id,
    account_id: c.account_id,
    phone_number_id: c.phone_number_id,
    upstream: c.upstream,
    to_input: r.to_input,
    wa_id: r.wa_id,
    type: "template",
    category: c.category,
    hold_reference: c.charge_amount ? r.message_id : null,
    charge_currency: c.charge_currency,
    charge_amount: c.charge_amount,
    client_data: JSON.stringify({ campaign_id: c.id }),
    created_at: now,
  };
  const recipient = (state: "sent" | "failed" | "queued") =>
    ctx.db.prepare("UPDATE campaign_recipients SET state = ?, sent_at = ? WHERE campaign_id = ? AND seq = ? AND state = 'sending'").bind(state, state === "sent" ? now : null, c.id, r.seq);
  const settle = (to: "POSTED" | "VOIDED") => (c.charge_amount ? [settleHoldStatement(ctx, c.account_id, r.message_id, to)] : []);

  if (sent.ok) {
    await ctx.db.batch([
      insertPendingStatement(ctx, row),
      ctx.db.prepare("UPDATE messages SET status = 'accepted', wamid = ?, updated_at = ? WHERE id = ?").bind(sent.value.wamid, now, row.id),
      recipient("sent"),
      ...settle("POSTED"),
    ]);
    if (c.upstream === "sandbox") scheduleSandboxStatuses(ctx, sent.value.wamid, r.wa_id);
    return "done";
  }
  const code = typeof sent.fault.code === "number" ? sent.fault.code : undefined;
  if (sent.fault.transient && claimed.calls < MAX_CALLS) {
    await recipient("queued").run();
    ctx.log.log("warn", "campaign_send_retry", { campaign_id: c.id, seq: r.seq, upstream_code: code, calls: claimed.calls });
    return { delayMs: retryDelayMs(code, claimed.calls), code };
  }
  const error = sendFault(sent.fault);
  await ctx.db.batch([
    insertPendingStatement(ctx, row),
    ctx.db
      .prepare("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ?")
      .bind(JSON.stringify({ code: error.code, message: error.message, upstream_code: sent.fault.code ?? null }), now, row.id),
    recipient("failed"),
    ...settle("VOIDED"),
  ]);
  return "done";
}

/** Meta's advice (reference §1.5–1.6): 130429 short backoff, doubling; 131056 4^x s, never under the pair gap. */
export function retryDelayMs(code: number | undefined, calls: number): number {
  if (code === PAIR_LIMIT) return Math.max(PAIR_GAP_MS, 1000 * 4 ** (calls - 1));
  if (code === THROUGHPUT_LIMIT) return Math.min(60_000, 1000 * 2 ** (calls - 1));
  return Math.min(120_000, 5000 * calls);
}

function groupByDelay(retries: Retry[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const r of retries) {
    const seconds = Math.ceil(r.delayMs / 1000);
    groups.set(seconds, [...(groups.get(seconds) ?? []), r.seq]);
  }
  return groups;
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
