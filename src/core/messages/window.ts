import { DAY } from "../../lib/clock";
import type { CoreContext } from "../../config/context";
import { messageLog } from "./store";

/**
 * The 24-hour customer-service window (reference §7.1): free-form messages may go only to someone
 * who wrote to the sending number in the last 24 hours. Inbound messages record it in the log.
 */
const WINDOW_MS = DAY;

export function windowOpen(ctx: CoreContext, phoneNumberId: string, waId: string): Promise<boolean> {
  return messageLog(ctx).wroteSince(phoneNumberId, waId, ctx.clock.now() - WINDOW_MS);
}
