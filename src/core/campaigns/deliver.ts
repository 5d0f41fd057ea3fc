import type { CoreContext } from "../../config/context";
import { scheduleSandboxStatuses } from "../messages/sandbox-statuses";
import { finishStatement } from "./control";
import { announceCompletion } from "./completion";
import { enqueueChunks, findCampaign, pacerOf, type ChunkMessage, type RecipientRow } from "./model";
import { sendGroup, type Accepted, type Slot } from "./send-group";
import { sleep, type sendWave, type Wave } from "./wave";

/**
 * The SENDS consumer of one chunk of a campaign. It asks the number's Deployment object for
 * permits for the whole chunk at once, then sends in groups (the permits of the next
 * GROUP_SPAN_MS): one statement claims a group's recipients, its sends go out in waves of at most
 * 6, each wave in a new invocation of the Worker (the SendWaves entrypoint, wave.ts) that calls
 * Meta at each permit's instant, and one batch records the group's outcomes and settles holds.
 * In production an invocation has at most 6 connections waiting for headers: one invocation
 * carries ~30 sends/s at Meta's 200 ms, so a number's 80 or 1,000/s needs waves side by side,
 * each with its own 6; D1 still sees one claim and one batch per group. A consumer that dies
 * leaves the rest queued for the queue's retry, and at most its groups in flight `sending` (see
 * sweepCampaigns).
 */
const GROUP_SPAN_MS = 100;
const GROUP_MAX = 60;
/** Groups under way at once from one chunk: at 1,000/s a group of 60 spans 60 ms and lasts Meta's ≤ 250 ms plus two D1 round trips. */
const GROUPS_IN_FLIGHT = 16;
/** A group is started this long before its first instant: its claim and the waves' new invocations take a moment. */
const START_LEAD_MS = 30;
/**
 * Recipients deferred by the rate and due within this wait in the same consumer; others are
 * queued again. Long enough for a whole batch of chunks of one campaign (100 × 200 at 80/s is
 * 250 s) to wait for its turn in place, well inside a queue consumer's 15 minutes: a re-queued
 * chunk comes back on the second and can leave the number's permits unused meanwhile.
 */
const WAIT_IN_PLACE_MS = 5 * 60_000;

type Retry = { seq: number; delayMs: number };

export async function runChunk(ctx: CoreContext, chunk: ChunkMessage): Promise<void> {
  const c = await findCampaign(ctx, chunk.accountId, chunk.campaignId);
  // Paused: resume queues the rest again; cancelled or done: nothing is left to send.
  if (!c || c.state !== "running") return;
  const wait = c.start_at - ctx.clock.now();
  if (wait > 0) return enqueueChunks(ctx, c, chunk.seqs, wait / 1000);

  let pending = await queuedRecipients(ctx, c.id, chunk.seqs);
  const pacer = pacerOf(ctx, c);
  // Test and benchmark fault switch: a share of chunk deliveries die midway (after half the chunk's sends).
  const dieAfter = Math.random() < ctx.config.CHAOS_SEND_BATCH_FAILURE_RATE ? Math.floor(pending.length / 2) : Infinity;
  const retries: Retry[] = [];
  const unused: string[] = []; // permits not used: their pairs are released
  const accepted: Accepted[] = []; // sandbox sends whose statuses are not queued yet
  const inflight = new Set<Promise<void>>();
  let started = 0;
  let failure: { error: unknown } | undefined; // a group that failed (a wave's invocation died, D1): the chunk fails at the end

  while (pending.length) {
    const byWaId = new Map(pending.map((r) => [r.wa_id, r]));
    const permits = await pacer.permits(pending.map((r) => r.wa_id));
    const groups = groupSlots(permits.slots.map((s) => ({ r: byWaId.get(s.waId)!, at: s.at })));
    for (const [i, group] of groups.entries()) {
      if (i > 0 && started >= dieAfter) {
        await Promise.all(inflight);
        if (accepted.length) scheduleSandboxStatuses(ctx, c.phone_number_id, accepted);
        await pacer.release([...unused, ...groups.slice(i).flatMap((g) => g.map((s) => s.r.wa_id))]);
        throw new Error(`chaos: the consumer of campaign ${c.id} died after ${started} sends`);
      }
      await sleep(group[0]!.at - START_LEAD_MS - Date.now());
      while (inflight.size >= GROUPS_IN_FLIGHT) await Promise.race(inflight);
      started += group.length;
      const job = sendGroup(ctx, c, group, (wave) => dispatch(ctx, wave)).then(async ({ outcomes, accepted: sent }) => {
        accepted.push(...sent);
        if (accepted.length >= STATUS_BATCH) scheduleSandboxStatuses(ctx, c.phone_number_id, accepted.splice(0));
        for (const [r, outcome] of outcomes) {
          // Not sent (skipped, or refused other than for the pair): the pair owes nothing.
          if (outcome === "skipped" || outcome === "refused" || (typeof outcome === "object" && outcome.kind !== "pair_limited")) unused.push(r.wa_id);
          if (typeof outcome !== "object") continue;
          retries.push({ seq: r.seq, delayMs: outcome.delayMs });
          if (outcome.kind === "throughput_limited") await pacer.backoff(Date.now() + outcome.delayMs);
          if (outcome.kind === "pair_limited") await pacer.backoff(Date.now() + outcome.delayMs, r.wa_id);
        }
      }).catch((error: unknown) => {
        failure ??= { error };
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
  if (accepted.length) scheduleSandboxStatuses(ctx, c.phone_number_id, accepted);
  if (unused.length) await pacer.release(unused);
  // Its claimed recipients stay `sending` (the sweep's); the queue's retry sends what is still queued.
  if (failure) throw failure.error;
  for (const [delaySeconds, seqs] of groupByDelay(retries)) await enqueueChunks(ctx, c, seqs, delaySeconds);
  const finished = await finishStatement(ctx, c.id).run();
  if (finished.meta.changes) await announceCompletion(ctx, c.account_id, c.id);
}

/** A wave, in a new invocation of the Worker (wave.ts); its failure fails the chunk, whose retry sends what is still queued. */
async function dispatch(ctx: CoreContext, wave: Wave) {
  return (await ctx.env.SEND_WAVES.send(wave)) as Awaited<ReturnType<typeof sendWave>>;
}

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

function groupByDelay(retries: Retry[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const r of retries) {
    const seconds = Math.ceil(r.delayMs / 1000);
    groups.set(seconds, [...(groups.get(seconds) ?? []), r.seq]);
  }
  return groups;
}
