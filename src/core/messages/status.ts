import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { MESSAGE_COLUMNS, type MessageRow, type MessageStatus } from "./store";

/**
 * The one entry point for delivery statuses (the sandbox's, and Meta's through the webhook
 * intake). A status only moves a message forward: accepted < sent < delivered < read; failed is
 * terminal and may follow accepted or sent. Anything else (a late or repeated status) is ignored.
 */
export type DeliveryStatus = "sent" | "delivered" | "read" | "failed";

export interface StatusError {
  code: number | string;
  title: string;
}

const RANK: Record<MessageStatus, number> = { pending: 0, accepted: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

/**
 * Applies one status to the message with this wamid and answers the message as it now is;
 * `not_found` when no message has this wamid (yet). One statement, so nothing can come between
 * finding the message and moving it: the row always matches, and the guard decides per column
 * (SET expressions all read the row as it was). Meta's pricing is kept as first reported.
 */
export async function recordStatus(
  ctx: CoreContext,
  wamid: string,
  status: DeliveryStatus,
  error?: StatusError,
  pricing?: unknown,
): Promise<Result<{ message: MessageRow }>> {
  const guard = `(${movesForward(status)})`;
  const row = await ctx.db
    .prepare(
      `UPDATE messages SET status = CASE WHEN ${guard} THEN ?1 ELSE status END, error = CASE WHEN ${guard} THEN COALESCE(?2, error) ELSE error END,
       updated_at = CASE WHEN ${guard} THEN ?3 ELSE updated_at END, pricing = COALESCE(pricing, ?6)
       WHERE wamid = ?4 RETURNING ${MESSAGE_COLUMNS}`,
    )
    .bind(status, error ? JSON.stringify(error) : null, ctx.clock.now(), wamid, RANK[status], pricing ? JSON.stringify(pricing) : null)
    .first<MessageRow>();
  if (!row) return fail("not_found", `No message ${wamid}`);
  return ok({ message: row });
}

/** SQL on the row: `status` (its rank bound as ?5) moves it. failed may only follow accepted or sent; the others only move to a higher rank. */
const movesForward = (status: DeliveryStatus) =>
  `status != 'failed' AND (CASE status ${rankCase()} END) ${status === "failed" ? "IN (1, 2) AND ?5 > 0" : "< ?5"}`;

const rankCase = () =>
  Object.entries(RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(" ");
