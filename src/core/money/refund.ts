import type { CoreContext } from "../../config/context";
import type { MessageRow } from "../../stores/message-log/model";
import { refundHoldStatement } from "../../stores/money/holds";

/**
 * A message Meta reports failed after accepting it was not delivered, and Meta does not charge
 * for it (per-message pricing bills delivered messages); the send pipeline posted its hold at
 * acceptance, so the charge is given back here: one credit entry `refund:<hold id>`, UNIQUE in the
 * ledger, so processing the failure again (or a second failed status) never refunds twice, and
 * since every processing of a failed message's status retries it, a refund is never lost.
 */
export async function refundFailedMessage(ctx: CoreContext, message: Pick<MessageRow, "id" | "account_id" | "hold_reference" | "status">): Promise<boolean> {
  if (message.status !== "failed" || !message.hold_reference) return false;
  const failedMessageHold = { sql: "SELECT ?, ?", params: [message.account_id, message.hold_reference] };
  const result = await refundHoldStatement(ctx.db, failedMessageHold, `refund: message ${message.id} failed`, ctx.clock.now()).run();
  const refunded = (result.meta.changes ?? 0) > 0;
  if (refunded) ctx.log.log("info", "message_refunded", { message_id: message.id });
  return refunded;
}
