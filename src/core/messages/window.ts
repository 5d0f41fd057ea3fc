import { DAY } from "../../lib/clock";
import type { CoreContext } from "../../config/context";

/**
 * The 24-hour customer-service window (reference §7.1): free-form messages may go only to someone
 * who wrote to the sending number in the last 24 hours. Inbound messages record it here.
 */
const WINDOW_MS = DAY;

export async function windowOpen(ctx: CoreContext, phoneNumberId: string, waId: string): Promise<boolean> {
  const row = await ctx.db
    .prepare("SELECT last_inbound_at FROM contacts WHERE phone_number_id = ? AND wa_id = ? AND last_inbound_at > ?")
    .bind(phoneNumberId, waId, ctx.clock.now() - WINDOW_MS)
    .first<{ last_inbound_at: number }>();
  return row !== null;
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
