import { WEBHOOK_FORMATS } from "../dialects/client-webhook-formats";
import { runChunk } from "../core/campaigns/deliver";
import { CHUNK_KIND, type ChunkMessage } from "../core/campaigns/model";
import { applyStatusBatch, STATUS_BATCH_KIND, type StatusBatchMessage } from "../core/campaigns/sandbox-statuses";
import type { CoreContext } from "../config/context";
import { INBOUND_EVENT_KIND } from "../core/inbound/intake";
import { processEvent } from "../core/inbound/process";
import { applySandboxStatus, SANDBOX_STATUS_KIND, type SandboxStatusMessage } from "../core/messages/sandbox-statuses";
import { attemptDelivery, DELIVERY_KIND } from "../core/client-webhooks/deliveries";

/** Every queue message names its kind; each consumer dispatches on it. */
export interface QueueMessage {
  kind: string;
  [field: string]: unknown;
}

/** A handler may ask for its message back later (a delivery's next attempt); otherwise it is acked. */
type MessageHandler = (ctx: CoreContext, message: QueueMessage) => Promise<void | { retryInSeconds?: number }>;

/** Handlers per queue and kind. */
const QUEUE_HANDLERS: Record<string, Record<string, MessageHandler>> = {
  "tuma-deliveries": {
    [DELIVERY_KIND]: (ctx, message) => attemptDelivery(ctx, WEBHOOK_FORMATS, String(message.deliveryId)),
  },
  "tuma-inbound": {
    [INBOUND_EVENT_KIND]: (ctx, message) => processEvent(ctx, String(message.eventId)),
  },
  "tuma-sends": {
    [SANDBOX_STATUS_KIND]: (ctx, message) => applySandboxStatus(ctx, message as SandboxStatusMessage),
    [CHUNK_KIND]: (ctx, message) => runChunk(ctx, message as ChunkMessage),
    [STATUS_BATCH_KIND]: (ctx, message) => applyStatusBatch(ctx, message as StatusBatchMessage),
  },
};

/**
 * Queues whose messages are handled side by side: one slow client endpoint never holds up
 * another's, and a batch's campaign chunks all pace on their numbers' objects at once (one
 * chunk's tail of waves never delays the next chunk's first permits).
 */
const CONCURRENT_QUEUES = new Set(["tuma-deliveries", "tuma-inbound", "tuma-sends"]);

/** Queues allow at most 12 hours of delay per retry. */
const MAX_DELAY_SECONDS = 12 * 3600;

/**
 * Acks each message its handler completed and retries each one that threw, one message at a
 * time, so one failure never replays the rest of the batch. A message no handler knows can never
 * succeed: it is logged and acked rather than retried forever.
 */
export async function consumeBatch(ctx: CoreContext, batch: MessageBatch<QueueMessage>): Promise<void> {
  const handlers = QUEUE_HANDLERS[batch.queue] ?? {};
  const consume = async (message: Message<QueueMessage>) => {
    const handler = handlers[message.body?.kind];
    if (!handler) {
      ctx.log.log("error", "queue_message_unhandled", { queue: batch.queue, kind: String(message.body?.kind), id: message.id });
      message.ack();
      return;
    }
    try {
      const outcome = await handler(ctx, message.body);
      if (outcome?.retryInSeconds) message.retry({ delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(outcome.retryInSeconds)) });
      else message.ack();
    } catch (e) {
      ctx.log.log("warn", "queue_message_retry", { queue: batch.queue, kind: message.body.kind, attempts: message.attempts, error_message: String(e) });
      message.retry();
    }
  };
  if (CONCURRENT_QUEUES.has(batch.queue)) await Promise.all(batch.messages.map(consume));
  else for (const message of batch.messages) await consume(message);
}
