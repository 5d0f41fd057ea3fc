import { NOT_ON_WHATSAPP, SANDBOX_TRIGGERS } from "../../upstreams/whatsapp/sandbox";
import type { CoreContext } from "../../config/context";
import { intakeSandboxStatuses, sandboxStatusPayloads } from "../inbound/sandbox";
import type { DeliveryStatus } from "../../stores/message-log/model";

/**
 * The sandbox's delivery statuses: sent → delivered → read, one step per SENDS queue message,
 * SANDBOX_STATUS_DELAY_SECONDS apart; a recipient ending 0000 fails as "not on WhatsApp" (the
 * sandbox's NOT_ON_WHATSAPP error, as Meta reports it). Each step is a Meta-shaped status payload,
 * signed and handed to Meta's webhook intake, so it takes exactly the path of Meta's statuses
 * (stored and processed in batches, recordStatus through the message log, refunds, the message's
 * timeline, client webhooks). A single send queues one message's steps; a campaign queues a group
 * of its messages' steps in one queue message, whose step is one payload per number (fewer,
 * larger queue messages): one mechanism for both. A queue message names its sending number, whose
 * log holds the messages.
 */
export const SANDBOX_STATUS_KIND = "sandbox_status";
/** The kind campaigns' status batches were queued under before they took this path: same shape, same handler. */
export const SANDBOX_STATUS_BATCH_KIND = "sandbox_status_batch";

type Item = { wamid: string; steps: DeliveryStatus[] };

export interface SandboxStatusMessage {
  kind: typeof SANDBOX_STATUS_KIND | typeof SANDBOX_STATUS_BATCH_KIND;
  /** The number that sent every item. Messages queued before it was named have none: D1's log (the only one then) finds their wamids alone. */
  phoneNumberId?: string;
  items?: Item[];
  /** A single send's message queued before steps were batched carries its one message here. */
  wamid?: string;
  steps?: DeliveryStatus[];
  [field: string]: unknown;
}

export function sandboxSteps(waId: string): DeliveryStatus[] {
  return waId.endsWith(SANDBOX_TRIGGERS.notOnWhatsAppSuffix) ? ["failed"] : ["sent", "delivered", "read"];
}

/** Queues the first step of each message the number accepted; runs after the response, and a queue failure never fails the send. */
export function scheduleSandboxStatuses(ctx: CoreContext, phoneNumberId: string, sent: { wamid: string; waId: string }[]): void {
  ctx.defer(enqueue(ctx, phoneNumberId, sent.map(({ wamid, waId }) => ({ wamid, steps: sandboxSteps(waId) }))));
}

async function enqueue(ctx: CoreContext, phoneNumberId: string, items: Item[]): Promise<void> {
  const message: SandboxStatusMessage = { kind: SANDBOX_STATUS_KIND, phoneNumberId, items };
  await ctx.env.SENDS.send(message, { delaySeconds: ctx.config.SANDBOX_STATUS_DELAY_SECONDS });
}

/** The SENDS queue handler: posts each message's next step to the intake (a repeat stores nothing) and queues the rest. */
export async function applySandboxStatuses(ctx: CoreContext, message: SandboxStatusMessage): Promise<void> {
  const phoneNumberId = message.phoneNumberId ?? "";
  const items = message.items ?? [{ wamid: message.wamid ?? "", steps: message.steps ?? [] }];
  const due = items.filter((i) => i.steps.length > 0).map((i) => ({ wamid: i.wamid, status: i.steps[0]!, ...(i.steps[0] === "failed" ? { error: { ...NOT_ON_WHATSAPP, message: NOT_ON_WHATSAPP.title } } : {}) }));
  const { payloads, unknown } = await sandboxStatusPayloads(ctx, phoneNumberId, due);
  for (const wamid of unknown) ctx.log.log("warn", "sandbox_status_unknown_message", { wamid });
  for (const payload of payloads) await intakeSandboxStatuses(ctx, payload);
  const rest = items.filter((i) => i.steps.length > 1 && !unknown.includes(i.wamid)).map((i) => ({ wamid: i.wamid, steps: i.steps.slice(1) }));
  if (rest.length) await enqueue(ctx, phoneNumberId, rest);
}
