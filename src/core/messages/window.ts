import { DAY } from "../../lib/clock";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { isFreeForm, type CanonicalMessage } from "./canonical";

/**
 * The 24-hour customer-service window (reference §7.1): free-form messages may go only to someone
 * who wrote to the sending number in the last 24 hours. Inbound messages record it here.
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
  const row = await ctx.db
    .prepare("SELECT last_inbound_at FROM contacts WHERE phone_number_id = ? AND wa_id = ? AND last_inbound_at > ?")
    .bind(phoneNumberId, waId, ctx.clock.now() - WINDOW_MS)
    .first<{ last_inbound_at: number }>();
  return row !== null;
}

/** Of these customers, those whose window with the number is open: one query for a group of a campaign's recipients. */
export async function openWindows(ctx: CoreContext, phoneNumberId: string, waIds: string[]): Promise<Set<string>> {
  const { results } = await ctx.db
    .prepare("SELECT wa_id FROM contacts WHERE phone_number_id = ? AND wa_id IN (SELECT value FROM json_each(?)) AND last_inbound_at > ?")
    .bind(phoneNumberId, JSON.stringify(waIds), ctx.clock.now() - WINDOW_MS)
    .all<{ wa_id: string }>();
  return new Set(results.map((r) => r.wa_id));
}

/** A customer wrote to the number at `at`; keeps the latest time when messages arrive out of order. */
export async function recordInbound(ctx: CoreContext, phoneNumberId: string, waId: string, at: number): Promise<void> {
  await ctx.db
    .prepare(
      `INSERT INTO contacts (phone_number_id, wa_id, last_inbound_at) VALUES (?, ?, ?)
       ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
    )
    .bind(phoneNumberId, waId, at)
    .run();
}
