import type { CoreContext } from "../../config/context";
import { refundHoldStatement } from "../../stores/money/holds";

/**
 * A message Meta reports failed after accepting it was not delivered, and Meta does not charge
 * for it (per-message pricing bills delivered messages); the send pipeline posted its hold at
 * acceptance, so the charge is given back here: one credit entry `refund:<hold id>`, UNIQUE in the
 * ledger, so processing the failure again (or a second failed status) never refunds twice, and
 * since every processing of a failed message's status retries it, a refund is never lost.
 */
export async function refundFailedMessage(ctx: CoreContext, messageId: string): Promise<boolean> {
  const failedMessageHold = { sql: "SELECT account_id, hold_reference FROM messages WHERE id = ? AND status = 'failed'", params: [messageId] };
  const result = await refundHoldStatement(ctx.db, failedMessageHold, `refund: message ${messageId} failed`, ctx.clock.now()).run();
  const refunded = (result.meta.changes ?? 0) > 0;
  if (refunded) ctx.log.log("info", "message_refunded", { message_id: messageId });
  return refunded;
}
