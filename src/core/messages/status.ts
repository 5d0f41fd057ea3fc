import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import type { DeliveryStatus, MessageRow } from "../../stores/message-log/model";
import { messageLog } from "./store";

/**
 * The one entry point for delivery statuses (the sandbox's, and Meta's through the webhook
 * intake). A status only moves a message forward: accepted < sent < delivered < read; failed is
 * terminal and may follow accepted or sent. Anything else (a late or repeated status) is ignored.
 */
export interface StatusError {
  code: number | string;
  title: string;
}

/** Applies one status to the message the number sent with this wamid and answers the message as it now is; `not_found` when no message has this wamid (yet). */
export async function recordStatus(
  ctx: CoreContext,
  phoneNumberId: string,
  wamid: string,
  status: DeliveryStatus,
  error?: StatusError,
  pricing?: unknown,
  reportedAt?: number,
): Promise<Result<{ message: MessageRow }>> {
  const recorded = await messageLog(ctx).applyStatus({ phoneNumberId, wamid, status, error: error ? JSON.stringify(error) : undefined, pricing, at: ctx.clock.now(), reportedAt });
  if (recorded.kind === "not_found") return fail("not_found", `No message ${wamid}`);
  return ok({ message: recorded.message });
}
