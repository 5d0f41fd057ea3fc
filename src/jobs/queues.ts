import { runChunk } from "../core/campaigns/deliver";
import { CHUNK_KIND, type ChunkMessage } from "../core/campaigns/model";
import { applyStatusBatch, STATUS_BATCH_KIND, type StatusBatchMessage } from "../core/campaigns/sandbox-statuses";
import type { CoreContext } from "../core/context";
import { applySandboxStatus, SANDBOX_STATUS_KIND, type SandboxStatusMessage } from "../core/messages/sandbox-statuses";

/** Every queue message names its kind; each consumer dispatches on it. */
export interface QueueMessage {
  kind: string;
  [field: string]: unknown;
}

export type MessageHandler = (ctx: CoreContext, message: QueueMessage) => Promise<void>;

/** Handlers per queue and kind. The sending and webhook issues register theirs here. */
export const QUEUE_HANDLERS: Record<string, Record<string, MessageHandler>> = {
  "tuma-deliveries": {},
  "tuma-sends": {
    [SANDBOX_STATUS_KIND]: (ctx, message) => applySandboxStatus(ctx, message as SandboxStatusMessage),
    [CHUNK_KIND]: (ctx, message) => runChunk(ctx, message as ChunkMessage),
    [STATUS_BATCH_KIND]: (ctx, message) => applyStatusBatch(ctx, message as StatusBatchMessage),
  },
};

/**
 * Acks each message its handler completed and retries each one that threw, one message at a
 * time, so one failure never replays the rest of the batch. A message no handler knows can never
 * succeed: it is logged and acked rather than retried forever.
 */
export async function consumeBatch(ctx: CoreContext, batch: MessageBatch<QueueMessage>): Promise<void> {
  const handlers = QUEUE_HANDLERS[batch.queue] ?? {};
  for (const message of batch.messages) {
    const handler = handlers[message.body?.kind];
    if (!handler) {
      ctx.log.log("error", "queue_message_unhandled", { queue: batch.queue, kind: String(message.body?.kind), id: message.id });
      message.ack();
      continue;
    }
    try {
      await handler(ctx, message.body);
      message.ack();
    } catch (e) {
      ctx.log.log("warn", "queue_message_retry", { queue: batch.queue, kind: message.body.kind, attempts: message.attempts, error_message: String(e) });
      message.retry();
    }
  }
}
