import { DAY } from "../../lib/clock";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { messageLog } from "./store";
import { isFreeForm, type CanonicalMessage } from "./canonical";

/**
 * The 24-hour customer-service window (reference §7.1): free-form messages may go only to someone
 * who wrote to the sending number in the last 24 hours. Inbound messages record it in the log.
 */
const WINDOW_MS = DAY;

/**
 * Whether this message needs the recipient's window open: a free-form one does, through Meta; the
 * sandbox checks it only when SANDBOX_ENFORCE_WINDOW is set. One rule for a single send and a campaign.
 */
export function windowApplies(ctx: CoreContext, message: CanonicalMessage, upstream: UpstreamKind): boolean {
  return isFreeForm(message) && (upstream !== "sandbox" || ctx.config.SANDBOX_ENFORCE_WINDOW);
}

export async function windowOpen(ctx: CoreContext, phoneNumberId: string, waId: string): Promise<boolean> {
  return (await openWindows(ctx, phoneNumberId, [waId])).has(waId);
}

/** Of these customers, those whose window with the number is open: one read for a group of a campaign's recipients. */
export async function openWindows(ctx: CoreContext, phoneNumberId: string, waIds: string[]): Promise<Set<string>> {
  return new Set(await messageLog(ctx).wroteSince(phoneNumberId, waIds, ctx.clock.now() - WINDOW_MS));
}
