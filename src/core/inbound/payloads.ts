import type { CoreContext } from "../../config/context";
import { queueEvents, storedPayload, storePayloads, type PayloadMessage, type StoredEventRow } from "./intake";
import { EventBatch, finishBatch, processFreshEvent } from "./process";

/**
 * The INBOUND consumer's side of Meta's intake: every payload of a queue batch is stored in one
 * D1 batch (raw payloads and deduplicated events), then the new events are processed grouped by
 * number: one number's events one after the other, in arrival order; numbers side by side.
 * An event whose processing throws is queued on its own (its attempts are counted); one
 * left unprocessed by a crash stays `received` and the cron queues it again.
 */
export async function consumePayloads(ctx: CoreContext, messages: PayloadMessage[]): Promise<void> {
  const payloads = [];
  for (const m of messages) {
    const text = m.body ?? (m.payloadId ? await storedPayload(ctx, m.payloadId) : null);
    if (text === null) {
      ctx.log.log("error", "meta_payload_missing", { payload_id: m.payloadId ?? null });
      continue;
    }
    payloads.push({ text, source: m.source ?? ("meta" as const), routeTo: null, receivedAt: m.receivedAt, payloadId: m.payloadId ?? null });
  }
  const { fresh } = await storePayloads(ctx, payloads, true);
  // Deliveries and marks once for the batch; a batch's events mostly go to the same few accounts,
  // whose webhook targets are read once.
  const batch = new EventBatch();
  await Promise.all([...byNumber(fresh).values()].map((events) => processInOrder(ctx, events, batch)));
  try {
    await finishBatch(ctx, batch);
  } catch (e) {
    ctx.log.log("warn", "meta_batch_finish_failed", { events: batch.done.length, error_message: String(e) });
    await queueEvents(ctx, batch.done.map((d) => d.id));
  }
}

function byNumber(events: StoredEventRow[]): Map<string, StoredEventRow[]> {
  const groups = new Map<string, StoredEventRow[]>();
  for (const e of events) groups.set(e.phone_number_id, [...(groups.get(e.phone_number_id) ?? []), e]);
  return groups;
}

async function processInOrder(ctx: CoreContext, events: StoredEventRow[], batch: EventBatch): Promise<void> {
  for (const e of events) {
    try {
      await processFreshEvent(ctx, e, batch);
    } catch {
      await queueEvents(ctx, [e.id]);
    }
  }
}
