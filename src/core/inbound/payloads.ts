import type { CoreContext } from "../../config/context";
import { sha256Hex } from "../../lib/crypto";
import { queueEvents, storedPayload, storePayloads, type FreshEvent, type PayloadMessage } from "./intake";
import { processEvent } from "./process";

/**
 * The INBOUND consumer's side of Meta's intake: every payload of a queue batch is stored in one
 * D1 batch (raw payloads and deduplicated events), then the new events are processed grouped by
 * number: one number's events one after the other, in arrival order; numbers side by side.
 * An event whose processing throws is queued on its own (processEvent counts its attempts); one
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
    payloads.push({ text, source: "meta" as const, routeTo: null, receivedAt: m.receivedAt, payloadId: m.payloadId ?? (await sha256Hex(text)), storeRaw: m.body !== undefined });
  }
  const { fresh } = await storePayloads(ctx, payloads);
  await Promise.all([...byNumber(fresh).values()].map((events) => processInOrder(ctx, events)));
}

function byNumber(events: FreshEvent[]): Map<string, FreshEvent[]> {
  const groups = new Map<string, FreshEvent[]>();
  for (const e of events) groups.set(e.phoneNumberId, [...(groups.get(e.phoneNumberId) ?? []), e]);
  return groups;
}

async function processInOrder(ctx: CoreContext, events: FreshEvent[]): Promise<void> {
  for (const e of events) {
    try {
      await processEvent(ctx, e.id);
    } catch {
      await queueEvents(ctx, [e.id]);
    }
  }
}
