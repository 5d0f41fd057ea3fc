import type { CoreContext } from "../../config/context";

/**
 * A message Meta reports failed after accepting it was not delivered, and Meta does not charge
 * for it (per-message pricing bills delivered messages); the send pipeline posted its hold at
 * acceptance, so the charge is given back here: one credit entry `refund:<hold id>`, UNIQUE in the
 * ledger, so processing the failure again (or a second failed status) never refunds twice, and
 * since every processing of a failed message's status retries it, a refund is never lost.
 */
export async function refundFailedMessage(ctx: CoreContext, messageId: string): Promise<boolean> {
  const result = await ctx.db
    .prepare(
      `INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
       SELECT h.account_id, h.currency, h.posted_amount, 'hold', 'refund:' || h.id, 'refund: message ' || m.id || ' failed', ?2
       FROM messages m JOIN holds h ON h.account_id = m.account_id AND h.reference = m.hold_reference
       WHERE m.id = ?1 AND m.status = 'failed' AND h.status = 'POSTED' AND h.posted_amount > 0
       ON CONFLICT (reference) DO NOTHING`,
    )
    .bind(messageId, ctx.clock.now())
    .run();
  const refunded = (result.meta.changes ?? 0) > 0;
  if (refunded) ctx.log.log("info", "message_refunded", { message_id: messageId });
  return refunded;
}
