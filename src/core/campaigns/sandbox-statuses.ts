import type { CoreContext } from "../../config/context";
import { sandboxSteps } from "../messages/sandbox-statuses";
import { NOT_ON_WHATSAPP } from "../../upstreams/whatsapp/sandbox";
import { messageLog } from "../messages/store";
import type { DeliveryStatus } from "../../stores/message-log/model";

/**
 * The sandbox's sent → delivered → read for a campaign's messages: the same steps as a single
 * send's (messages/sandbox-statuses.ts), with `recordStatus`'s rule, but one SENDS
 * message and one write to the log per group of sends rather than per message, so a campaign's statuses
 * do not crowd the queue and the database.
 */
export const STATUS_BATCH_KIND = "sandbox_status_batch";

export interface StatusBatchMessage {
  kind: typeof STATUS_BATCH_KIND;
  phoneNumberId: string;
  items: { wamid: string; steps: DeliveryStatus[] }[];
  [field: string]: unknown;
}

export function scheduleStatusBatch(ctx: CoreContext, phoneNumberId: string, sent: { wamid: string; waId: string }[]): void {
  ctx.defer(enqueue(ctx, phoneNumberId, sent.map(({ wamid, waId }) => ({ wamid, steps: sandboxSteps(waId) }))));
}

async function enqueue(ctx: CoreContext, phoneNumberId: string, items: StatusBatchMessage["items"]): Promise<void> {
  const message: StatusBatchMessage = { kind: STATUS_BATCH_KIND, phoneNumberId, items };
  await ctx.env.SENDS.send(message, { delaySeconds: ctx.config.SANDBOX_STATUS_DELAY_SECONDS });
}

/** The SENDS handler: applies each message's next step (a repeat changes nothing) and queues the rest. */
export async function applyStatusBatch(ctx: CoreContext, message: StatusBatchMessage): Promise<void> {
  const at = ctx.clock.now();
  const failure = JSON.stringify(NOT_ON_WHATSAPP);
  await messageLog(ctx).applyStatuses(message.items.map(({ wamid, steps }) => ({ phoneNumberId: message.phoneNumberId, wamid, status: steps[0]!, error: steps[0] === "failed" ? failure : undefined, at })));
  const rest = message.items.filter((i) => i.steps.length > 1).map((i) => ({ wamid: i.wamid, steps: i.steps.slice(1) }));
  if (rest.length) await enqueue(ctx, message.phoneNumberId, rest);
}
