import type { CoreContext } from "../../config/context";
import { SANDBOX_SENDER_ID } from "../messages/sender";
import { recordStatus } from "../messages/status";
import { messageLog } from "../messages/store";
import type { DeliveryStatus } from "../../stores/message-log/model";
import { fanOut, type TargetsMemo } from "../client-webhooks/deliveries";
import { errorEvent, mediaOf, messageEvent, statusEvent, type CanonicalEvent } from "../client-webhooks/events";
import type { EventBody, MetaInboundMessage, MetaStatus } from "../../upstreams/whatsapp/webhook-payload";
import { refundFailedMessage } from "../money/refund";
import { AWAIT_SEND_MS } from "./waiting";
import { STORED_EVENT_COLUMNS, type StoredEventRow } from "./intake";

/**
 * Processes stored events (INBOUND queue). Every step is idempotent, and an event is marked
 * processed last, so a crash anywhere means the whole event is simply processed again:
 * an inbound message is recorded once (wamid primary key) and opens the customer's 24-hour
 * window; a status moves the message forward only (recordStatus), records Meta's pricing once,
 * and a failure refunds the charge once; then one delivery per client endpoint (UNIQUE).
 * An event for a number no account has is kept as `unrouted` and listed for the operator.
 */
type EventRow = StoredEventRow;

const STATUSES: Record<string, DeliveryStatus> = { sent: "sent", delivered: "delivered", read: "read", failed: "failed" };

/**
 * Counts the attempt, then processes. An attempt that throws records its reason and is retried by
 * the queue, until INBOUND_MAX_ATTEMPTS attempts have started: then the event is `failed` (listed
 * for the operator, never re-queued). An attempt that died without a word counts too: the next
 * one past the limit marks the event failed instead of running.
 */
export async function processEvent(ctx: CoreContext, eventId: string): Promise<void> {
  const row = await ctx.db
    .prepare(`UPDATE meta_events SET attempts = attempts + 1 WHERE id = ? AND state IN ('received', 'unrouted') RETURNING ${STORED_EVENT_COLUMNS}`)
    .bind(eventId)
    .first<EventRow>();
  if (row) await processFreshEvent(ctx, row);
}

/**
 * What a batch of events does once for all of them, after each was applied: their client
 * deliveries, then marking them processed. Until then they stay `received`, so a crash in between
 * means they are processed again (every step is idempotent).
 */
export class EventBatch {
  readonly targets: TargetsMemo = new Map();
  readonly done: { id: string; accountId: string; event: CanonicalEvent }[] = [];
}

export async function finishBatch(ctx: CoreContext, batch: EventBatch): Promise<void> {
  if (!batch.done.length) return;
  await fanOut(ctx, batch.done, batch.targets);
  await ctx.db
    .prepare(
      `UPDATE meta_events SET state = 'processed', processed_at = ?1, account_id = (SELECT value ->> 1 FROM json_each(?2) WHERE value ->> 0 = meta_events.id)
       WHERE id IN (SELECT value ->> 0 FROM json_each(?2))`,
    )
    .bind(ctx.clock.now(), JSON.stringify(batch.done.map((d) => [d.id, d.accountId])))
    .run();
}

/**
 * Processes an event whose attempt is already counted (stored with it by `storePayloads`, or
 * claimed above). Alone, it finishes at once; in a `batch`, the caller finishes the batch.
 */
export async function processFreshEvent(ctx: CoreContext, row: EventRow, batch?: EventBatch): Promise<void> {
  const max = ctx.config.INBOUND_MAX_ATTEMPTS;
  if (row.attempts > max) return markFailed(ctx, row.id, `gave up after ${max} attempts: ${row.failure ?? "an attempt ended without a reason"}`);
  try {
    const own = batch ?? new EventBatch();
    await processOnce(ctx, row, own);
    if (!batch) await finishBatch(ctx, own);
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (row.attempts >= max) return markFailed(ctx, row.id, `gave up after ${max} attempts: ${reason}`);
    await ctx.db.prepare("UPDATE meta_events SET failure = ? WHERE id = ?").bind(reason.slice(0, 1000), row.id).run();
    throw e;
  }
}

async function markFailed(ctx: CoreContext, eventId: string, reason: string): Promise<void> {
  await ctx.db.prepare("UPDATE meta_events SET state = 'failed', failure = ? WHERE id = ? AND state IN ('received', 'unrouted')").bind(reason.slice(0, 1000), eventId).run();
  ctx.log.log("error", "meta_event_failed", { event_id: eventId, reason });
}

async function processOnce(ctx: CoreContext, row: EventRow, batch: EventBatch): Promise<void> {
  const body = JSON.parse(row.body) as EventBody;
  const routed = row.kind === "status" ? await processStatus(ctx, row, body) : await processOther(ctx, row, body);
  if (routed === "awaiting_send") {
    ctx.log.log("info", "meta_status_awaits_send", { event_id: row.id, phone_number_id: row.phone_number_id });
    return;
  }
  if (!routed) {
    await ctx.db.prepare("UPDATE meta_events SET state = 'unrouted' WHERE id = ? AND state = 'received'").bind(row.id).run();
    ctx.log.log("warn", "meta_event_unrouted", { event_id: row.id, phone_number_id: row.phone_number_id, kind: row.kind });
    return;
  }
  batch.done.push({ id: row.id, ...routed });
}

type Routed = { accountId: string; event: CanonicalEvent } | null;

/**
 * The account a number's events belong to. The shared sandbox sender belongs to nobody: only an
 * event stored already routed (a simulated customer, routed to the account that simulated it)
 * reaches an account; anything else to it is unrouted.
 */
async function numberOwner(ctx: CoreContext, row: EventRow): Promise<string | null> {
  if (row.phone_number_id === SANDBOX_SENDER_ID) return row.account_id;
  const owner = await ctx.db
    .prepare("SELECT account_id FROM deployments WHERE phone_number_id = ? AND state != 'DELETED'")
    .bind(row.phone_number_id)
    .first<{ account_id: string }>();
  return owner?.account_id ?? null;
}

async function processOther(ctx: CoreContext, row: EventRow, body: EventBody): Promise<Routed> {
  const accountId = await numberOwner(ctx, row);
  if (!accountId) return null;
  if (row.kind === "error") return { accountId, event: errorEvent(row.id, body, row.received_at) };
  const event = messageEvent(row.id, body, row.received_at);
  const m = body.item as MetaInboundMessage;
  const sentAt = Math.min(event.message!.timestamp, ctx.clock.now());
  await messageLog(ctx).recordInbound({
    wamid: m.id,
    account_id: accountId,
    phone_number_id: row.phone_number_id,
    from_wa_id: m.from,
    profile_name: event.message!.profile_name,
    type: m.type,
    content: JSON.stringify(m),
    media_id: mediaOf(m)?.id ?? null,
    sent_at: sentAt,
    received_at: row.received_at,
  });
  return { accountId, event };
}

async function processStatus(ctx: CoreContext, row: EventRow, body: EventBody): Promise<Routed | "awaiting_send"> {
  const s = body.item as MetaStatus;
  const step = STATUSES[s.status];
  const e = s.errors?.[0];
  // `played` and other statuses are reported to clients but do not move the message.
  const error = step === "failed" ? { code: e?.code ?? "unknown", title: e?.title ?? e?.message ?? "Failed" } : undefined;
  const recorded = step ? await recordStatus(ctx, row.phone_number_id, s.id, step, error, s.pricing, metaTime(s.timestamp) ?? row.received_at) : null;
  const message = recorded ? (recorded.ok ? recorded.value.message : null) : await messageLog(ctx).byWamid(row.phone_number_id, s.id);
  const accountId = message?.account_id ?? (await numberOwner(ctx, row));
  if (!accountId) return null;
  // Meta may report a status before the send that made the wamid is recorded: the event stays
  // `received`, and recording the send queues it again (waiting.ts). Past the grace period it is
  // a message not sent through Tuma, delivered as such.
  if (!message && row.received_at > ctx.clock.now() - AWAIT_SEND_MS) return "awaiting_send";
  if (message?.status === "failed") await refundFailedMessage(ctx, message);
  return { accountId, event: statusEvent(row.id, body, row.received_at, message ?? null) };
}

/** Meta's timestamp (seconds, as a string) in ms; undefined when absent or malformed. */
function metaTime(timestamp: string | undefined): number | undefined {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
