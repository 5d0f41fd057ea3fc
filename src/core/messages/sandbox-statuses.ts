import { NOT_ON_WHATSAPP, SANDBOX_TRIGGERS } from "../../upstreams/whatsapp/sandbox";
import type { CoreContext } from "../../config/context";
import { intakeSandboxPayload, sandboxStatusPayload } from "../inbound/sandbox";
import type { DeliveryStatus } from "../../stores/message-log/model";

/**
 * The sandbox's delivery statuses: sent → delivered → read, one step per SENDS queue message,
 * SANDBOX_STATUS_DELAY_SECONDS apart; a recipient ending 0000 fails as "not on WhatsApp" (the
 * sandbox's NOT_ON_WHATSAPP error, as Meta reports it). Each step is a Meta-shaped status payload, signed and handed to the webhook intake,
 * so it takes exactly the path of Meta's statuses (recordStatus, client webhooks).
 */
export const SANDBOX_STATUS_KIND = "sandbox_status";

export interface SandboxStatusMessage {
  kind: typeof SANDBOX_STATUS_KIND;
  phoneNumberId: string;
  wamid: string;
  steps: DeliveryStatus[];
  [field: string]: unknown;
}

export function sandboxSteps(waId: string): DeliveryStatus[] {
  return waId.endsWith(SANDBOX_TRIGGERS.notOnWhatsAppSuffix) ? ["failed"] : ["sent", "delivered", "read"];
}

/** Queues the first step; runs after the response, and a queue failure never fails the send. */
export function scheduleSandboxStatuses(ctx: CoreContext, phoneNumberId: string, wamid: string, waId: string): void {
  ctx.defer(enqueue(ctx, { kind: SANDBOX_STATUS_KIND, phoneNumberId, wamid, steps: sandboxSteps(waId) }));
}

async function enqueue(ctx: CoreContext, message: SandboxStatusMessage): Promise<void> {
  await ctx.env.SENDS.send(message, { delaySeconds: ctx.config.SANDBOX_STATUS_DELAY_SECONDS });
}

/** The SENDS queue handler: posts the next step to the intake and queues the rest. */
export async function applySandboxStatus(ctx: CoreContext, message: SandboxStatusMessage): Promise<void> {
  const [step, ...rest] = message.steps;
  if (!step) return;
  const payload = await sandboxStatusPayload(ctx, message.phoneNumberId, message.wamid, step, step === "failed" ? { ...NOT_ON_WHATSAPP, message: NOT_ON_WHATSAPP.title } : undefined);
  if (!payload) {
    ctx.log.log("warn", "sandbox_status_unknown_message", { wamid: message.wamid });
    return;
  }
  const stored = await intakeSandboxPayload(ctx, payload);
  if (!stored.ok) throw stored.error;
  if (rest.length) await enqueue(ctx, { ...message, steps: rest });
}
