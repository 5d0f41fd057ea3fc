import { WEBHOOK_FORMATS } from "../dialects/client-webhook-formats";
import { runChunk } from "../core/campaigns/deliver";
import { CHUNK_KIND, type ChunkMessage } from "../core/campaigns/model";
import type { CoreContext } from "../config/context";
import { INBOUND_EVENT_KIND, INBOUND_PAYLOAD_KIND, type PayloadMessage } from "../core/inbound/intake";
import { consumePayloads } from "../core/inbound/payloads";
import { processEvent } from "../core/inbound/process";
import { applySandboxStatuses, SANDBOX_STATUS_BATCH_KIND, SANDBOX_STATUS_KIND, type SandboxStatusMessage } from "../core/messages/sandbox-statuses";
import { DELIVERY_KIND } from "../core/client-webhooks/deliveries";
import { attemptDeliveries } from "../core/client-webhooks/attempts";

/** Every queue message names its kind; each consumer dispatches on it. */
export interface QueueMessage {
  kind: string;
  [field: string]: unknown;
}

/** A handler may ask for its message back later (a delivery's next attempt); otherwise it is acked. */
type Outcome = void | { retryInSeconds?: number };
type MessageHandler = (ctx: CoreContext, message: QueueMessage) => Promise<Outcome>;
/** Handles all of a batch's messages of its kind at once; answers an outcome per message, in order. */
type BatchHandler = (ctx: CoreContext, messages: QueueMessage[]) => Promise<Outcome[]>;

/**
 * Kinds handled a batch at a time: Meta's payloads (stored in one D1 batch, then processed per
 * number) and client deliveries (claimed, read and recorded in a few statements for all).
 */
const BATCH_HANDLERS: Record<string, Record<string, BatchHandler>> = {
  "tuma-deliveries": {
    [DELIVERY_KIND]: async (ctx, messages) => {
      const outcomes = await attemptDeliveries(ctx, WEBHOOK_FORMATS, messages.map((m) => String(m.deliveryId)));
      return messages.map((m) => outcomes.get(String(m.deliveryId)));
    },
  },
  "tuma-inbound": {
    [INBOUND_PAYLOAD_KIND]: async (ctx, messages) => {
      await consumePayloads(ctx, messages as unknown as PayloadMessage[]);
      return [];
    },
  },
};

/** Handlers per queue and kind, one message at a time. */
const QUEUE_HANDLERS: Record<string, Record<string, MessageHandler>> = {
  "tuma-inbound": {
    [INBOUND_EVENT_KIND]: (ctx, message) => processEvent(ctx, String(message.eventId)),
  },
  "tuma-sends": {
    [SANDBOX_STATUS_KIND]: (ctx, message) => applySandboxStatuses(ctx, message as SandboxStatusMessage),
    [SANDBOX_STATUS_BATCH_KIND]: (ctx, message) => applySandboxStatuses(ctx, message as SandboxStatusMessage),
    [CHUNK_KIND]: (ctx, message) => runChunk(ctx, message as ChunkMessage),
  },
};

/**
 * Queues whose one-at-a-time messages are handled side by side: a batch's campaign chunks all
 * pace on their numbers' objects at once (one chunk's tail of waves never delays the next
 * chunk's first permits). Deliveries are a batch handler's, above.
 */
const CONCURRENT_QUEUES = new Set(["tuma-inbound", "tuma-sends"]);

/** Queues allow at most 12 hours of delay per retry. */
const MAX_DELAY_SECONDS = 12 * 3600;

/**
 * Acks each message its handler completed and retries each one that threw, one message at a
 * time, so one failure never replays the rest of the batch. A message no handler knows can never
 * succeed: it is logged and acked rather than retried forever.
 */
export async function consumeBatch(ctx: CoreContext, batch: MessageBatch<QueueMessage>): Promise<void> {
  const handlers = QUEUE_HANDLERS[batch.queue] ?? {};
  const settle = (message: Message<QueueMessage>, outcome: Outcome) => {
    if (outcome?.retryInSeconds) message.retry({ delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(outcome.retryInSeconds)) });
    else message.ack();
  };
  const batched = new Set<Message<QueueMessage>>();
  for (const [kind, handler] of Object.entries(BATCH_HANDLERS[batch.queue] ?? {})) {
    const group = batch.messages.filter((m) => m.body?.kind === kind);
    if (!group.length) continue;
    for (const m of group) batched.add(m);
    try {
      const outcomes = await handler(ctx, group.map((m) => m.body));
      group.forEach((m, i) => settle(m, outcomes[i]));
    } catch (e) {
      // All of them again: each step of a batch handler is idempotent.
      ctx.log.log("warn", "queue_message_retry", { queue: batch.queue, kind, messages: group.length, error_message: String(e) });
      for (const m of group) m.retry();
    }
  }
  const consume = async (message: Message<QueueMessage>) => {
    const handler = handlers[message.body?.kind];
    if (!handler) {
      ctx.log.log("error", "queue_message_unhandled", { queue: batch.queue, kind: String(message.body?.kind), id: message.id });
      message.ack();
      return;
    }
    try {
      settle(message, await handler(ctx, message.body));
    } catch (e) {
      ctx.log.log("warn", "queue_message_retry", { queue: batch.queue, kind: message.body.kind, attempts: message.attempts, error_message: String(e) });
      message.retry();
    }
  };
  const others = batch.messages.filter((m) => !batched.has(m));
  if (CONCURRENT_QUEUES.has(batch.queue)) await Promise.all(others.map(consume));
  else for (const message of others) await consume(message);
}
