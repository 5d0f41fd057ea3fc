import { whatsappUpstream } from "../../upstreams/whatsapp";
import { fault, retryable, type FaultKind, type OutboundMessage, type UpstreamResult, type WhatsAppUpstream } from "../../upstreams/whatsapp/types";
import type { CoreContext } from "../../config/context";
import { holdIsHeldSql, postHoldStatement, voidHoldStatement } from "../../stores/money/holds";
import { sendFault } from "../messages/send-errors";
import { insertMessageStatement, type NewMessage } from "../messages/store";
import { validateMessage } from "../messages/validate";
import { PAIR_GAP_MS } from "../../durable/pacer";
import { templateMessage } from "./create";
import { scheduleStatusBatch } from "./sandbox-statuses";
import { finishStatement } from "./control";
import { enqueueChunks, findCampaign, pacerOf, type CampaignRow, type ChunkMessage, type RecipientRow } from "./model";

/**
 * The SENDS consumer of one chunk of a campaign. It asks the number's Deployment object for
 * permits for the whole chunk at once, then sends in small groups (the permits of the next
 * GROUP_SPAN_MS): one statement claims the group's recipients (queued → sending, only while the
 * campaign runs), each message goes out at its permit's instant, and one batch records the
 * group's outcomes and settles their holds. The claim is what makes a re-delivered or
 * concurrently delivered chunk send nobody twice; a consumer that dies leaves the rest queued
 * for the queue's retry, and at most its groups in flight `sending` (see sweepCampaigns).
 */
const GROUP_SPAN_MS = 100;
const GROUP_MAX = 50;
const GROUPS_IN_FLIGHT = 4;
/** Upstream calls per recipient before a rate limit or a transient fault becomes a failure. */
const MAX_CALLS = 6;
/** Recipients deferred by the rate and due within this wait in the same consumer; others are queued again. */
const WAIT_IN_PLACE_MS = 5000;

type Retry = { seq: number; delayMs: number };
type Outcome = "skipped" | "done" | { delayMs: number; kind: FaultKind };

export async function runChunk(ctx: CoreContext, chunk: ChunkMessage): Promise<void> {
  const c = await findCampaign(ctx, chunk.accountId, chunk.campaignId);
  // Paused: resume queues the rest again; cancelled or done: nothing is left to send.
  if (!c || c.state !== "running") return;
  const wait = c.start_at - ctx.clock.now();
  if (wait > 0) return enqueueChunks(ctx, c, chunk.seqs, wait / 1000);

  let pending = await queuedRecipients(ctx, c.id, chunk.seqs);
  const pacer = pacerOf(ctx, c);
  const upstream = whatsappUpstream(c.upstream, ctx.env, ctx.log, ctx.outbound);
  // Test and benchmark fault switch: a share of chunk deliveries die midway (after half the chunk's sends).
  const dieAfter = Math.random() < ctx.config.CHAOS_SEND_BATCH_FAILURE_RATE ? Math.floor(pending.length / 2) : Infinity;
  const retries: Retry[] = [];
  const unused: string[] = []; // permits not used: their pairs are released
  const accepted: Accepted[] = []; // sandbox sends whose statuses are not queued yet
  const inflight = new Set<Promise<void>>();
  let started = 0;

  while (pending.length) {
    const byWaId = new Map(pending.map((r) => [r.wa_id, r]));
    const permits = await pacer.permits(pending.map((r) => r.wa_id));
    const groups = groupSlots(permits.slots.map((s) => ({ r: byWaId.get(s.waId)!, at: s.at })));
    for (const [i, group] of groups.entries()) {
      if (i > 0 && started >= dieAfter) {
        await Promise.all(inflight);
        if (accepted.length) scheduleStatusBatch(ctx, accepted);
        await pacer.release([...unused, ...groups.slice(i).flatMap((g) => g.map((s) => s.r.wa_id))]);
        throw new Error(`chaos: the consumer of campaign ${c.id} died after ${started} sends`);
      }
      await sleep(group[0]!.at - Date.now());
      while (inflight.size >= GROUPS_IN_FLIGHT) await Promise.race(inflight);
      started += group.length;
      const job = sendGroup(ctx, c, group, upstream, accepted).then(async (outcomes) => {
        if (accepted.length >= STATUS_BATCH) scheduleStatusBatch(ctx, accepted.splice(0));
        for (const [r, outcome] of outcomes) {
          // Not sent (skipped, or refused other than for the pair): the pair owes nothing.
          if (outcome === "skipped" || (typeof outcome === "object" && outcome.kind !== "pair_limited")) unused.push(r.wa_id);
          if (typeof outcome !== "object") continue;
          retries.push({ seq: r.seq, delayMs: outcome.delayMs });
          if (outcome.kind === "throughput_limited") await pacer.backoff(Date.now() + outcome.delayMs);
          if (outcome.kind === "pair_limited") await pacer.backoff(Date.now() + outcome.delayMs, r.wa_id);
        }
      });
      inflight.add(job);
      void job.finally(() => inflight.delete(job));
    }
    const now = Date.now();
    // Recipients held back by the rate wait here for their turn; by the pair limit (seconds), in the queue.
    const soon = permits.deferred.filter((d) => d.reason === "rate" && d.until - now <= WAIT_IN_PLACE_MS);
    for (const d of permits.deferred) if (!soon.includes(d)) retries.push({ seq: byWaId.get(d.waId)!.seq, delayMs: d.until - now });
    if (soon.length) await sleep(Math.min(...soon.map((d) => d.until)) - Date.now());
    pending = soon.map((d) => byWaId.get(d.waId)!);
  }
  await Promise.all(inflight);
  if (accepted.length) scheduleStatusBatch(ctx, accepted);
  if (unused.length) await pacer.release(unused);
  for (const [delaySeconds, seqs] of groupByDelay(retries)) await enqueueChunks(ctx, c, seqs, delaySeconds);
  await finishStatement(ctx, c.id).run();
}

type Slot = { r: RecipientRow; at: number };
type Accepted = { wamid: string; waId: string };
/** Sandbox statuses are queued for this many accepted messages at a time (fewer, larger queue messages). */
const STATUS_BATCH = 250;

/** Consecutive permits within GROUP_SPAN_MS of the group's first, at most GROUP_MAX. */
function groupSlots(slots: Slot[]): Slot[][] {
  const groups: Slot[][] = [];
  for (const slot of slots) {
    const last = groups.at(-1);
    if (last && last.length < GROUP_MAX && slot.at - last[0]!.at < GROUP_SPAN_MS) last.push(slot);
    else groups.push([slot]);
  }
  return groups;
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
 * Sends a group once: claim, call each at its instant, record. A recipient refused for a rate
 * limit or a transient fault is queued again with its hold still HELD, until MAX_CALLS.
 */
async function sendGroup(ctx: CoreContext, c: CampaignRow, group: Slot[], upstream: WhatsAppUpstream, accepted: Accepted[]): Promise<[RecipientRow, Outcome][]> {
  const { results } = await ctx.db
    .prepare(
      `UPDATE campaign_recipients SET state = 'sending', claimed_at = ?1, calls = calls + 1
       WHERE campaign_id = ?2 AND seq IN (SELECT value FROM json_each(?3)) AND state = 'queued'
       AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?2 AND state = 'running')
       AND (?4 = 0 OR ${holdIsHeldSql("?5", "message_id")})
       RETURNING seq, calls`,
    )
    .bind(ctx.clock.now(), c.id, JSON.stringify(group.map((s) => s.r.seq)), c.charge_amount ? 1 : 0, c.account_id)
    .all<{ seq: number; calls: number }>();
  const calls = new Map(results.map((r) => [r.seq, r.calls]));
  const stored = JSON.parse(c.template) as { name: string; upstream?: string; language: { code: string } };
  // Campaigns written before templates were namespaced have no `upstream` name.
  const template = { name: stored.upstream ?? stored.name, language: stored.language };
  const sent = await Promise.all(
    group
      .filter((s) => calls.has(s.r.seq))
      .map(async (s) => {
        await sleep(s.at - Date.now());
        return { r: s.r, calls: calls.get(s.r.seq)!, result: await call(ctx, c, template, s.r, upstream), at: ctx.clock.now() };
      }),
  );
  const statements: D1PreparedStatement[] = [];
  const outcomes: [RecipientRow, Outcome][] = group.filter((s) => !calls.has(s.r.seq)).map((s) => [s.r, "skipped"]);
  const statuses: Accepted[] = [];
  for (const { r, calls, result, at } of sent) {
    const recipient = (state: "sent" | "failed" | "queued") =>
      ctx.db.prepare("UPDATE campaign_recipients SET state = ?, sent_at = ? WHERE campaign_id = ? AND seq = ? AND state = 'sending'").bind(state, state === "sent" ? at : null, c.id, r.seq);
    const settle = (settleHold: typeof postHoldStatement) => (c.charge_amount ? [settleHold(ctx.db, c.account_id, r.message_id, at)] : []);
    if (result.ok) {
      statements.push(
        insertMessageStatement(ctx, messageRow(c, r, at), { wamid: result.value.wamid }),
        recipient("sent"),
        ...settle(postHoldStatement),
      );
      if (c.upstream === "sandbox") statuses.push({ wamid: result.value.wamid, waId: r.wa_id });
      outcomes.push([r, "done"]);
      continue;
    }
    const { kind } = result.fault;
    if (retryable(result.fault) && calls < MAX_CALLS) {
      statements.push(recipient("queued"));
      ctx.log.log("warn", "campaign_send_retry", { campaign_id: c.id, seq: r.seq, kind, upstream_code: result.fault.code, calls });
      outcomes.push([r, { delayMs: retryDelayMs(kind, calls), kind }]);
      continue;
    }
    const error = sendFault(result.fault);
    statements.push(
      insertMessageStatement(ctx, messageRow(c, r, at)),
      ctx.db
        .prepare("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ?")
        .bind(JSON.stringify({ code: error.code, message: error.message, upstream_code: result.fault.code ?? null }), at, r.message_id),
      recipient("failed"),
      ...settle(voidHoldStatement),
    );
    outcomes.push([r, "done"]);
  }
  if (statements.length) await ctx.db.batch(statements);
  accepted.push(...statuses);
  return outcomes;
}

async function call(ctx: CoreContext, c: CampaignRow, template: { name: string; language: { code: string } }, r: RecipientRow, upstream: WhatsAppUpstream): Promise<UpstreamResult<{ wamid: string }>> {
  const valid = validateMessage(templateMessage({ name: template.name, language: template.language.code }, r.wa_id, r.parameters ? JSON.parse(r.parameters) : []), (p) => p);
  if (!valid.ok) return fault({ kind: "invalid_input", message: valid.error.message });
  try {
    return await upstream.sendMessage(c.phone_number_id, valid.value.message as OutboundMessage, { retry: false });
  } catch (e) {
    ctx.log.log("error", "campaign_send_threw", { campaign_id: c.id, seq: r.seq, error_message: String(e) });
    return fault({ kind: "transient", message: "The upstream call failed unexpectedly" });
  }
}

function messageRow(c: CampaignRow, r: RecipientRow, at: number): NewMessage {
  return {
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
    created_at: at,
  };
}

/** Meta's advice (reference §1.5–1.6): the number's limit, a short backoff, doubling; a pair's, 4^x s, never under the pair gap. */
function retryDelayMs(kind: FaultKind, calls: number): number {
  if (kind === "pair_limited") return Math.max(PAIR_GAP_MS, 1000 * 4 ** (calls - 1));
  if (kind === "throughput_limited") return Math.min(60_000, 1000 * 2 ** (calls - 1));
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
