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

export async function recordStatus(
  ctx: CoreContext,
  wamid: string,
  status: DeliveryStatus,
  error?: StatusError,
): Promise<Result<{ changed: boolean; message: MessageRow }>> {
  // One batch (one transaction): the update and the read see the same moment, so a send recorded
  // between them can never make a status look applied when it was not (process.ts parks it instead).
  const [updated, current] = await ctx.db.batch<MessageRow>([
    statusStatement(ctx, wamid, status, error),
    ctx.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE wamid = ?`).bind(wamid),
  ]);
  const changed = updated!.results[0];
  if (changed) return ok({ changed: true, message: changed });
  const row = current!.results[0];
  if (!row) return fail("not_found", `No message ${wamid}`);
  return ok({ changed: false, message: row });
}

/** The guarded update of one status, for a caller that applies many in one `db.batch`; returns the row when it changed. */
export function statusStatement(ctx: CoreContext, wamid: string, status: DeliveryStatus, error?: StatusError): D1PreparedStatement {
  // failed may only follow accepted or sent; the others only move to a higher rank.
  return ctx.db
    .prepare(
      `UPDATE messages SET status = ?1, error = COALESCE(?2, error), updated_at = ?3
       WHERE wamid = ?4 AND status != 'failed' AND (CASE status ${rankCase()} END) ${status === "failed" ? "IN (1, 2) AND ?5 > 0" : "< ?5"}
       RETURNING ${MESSAGE_COLUMNS}`,
    )
    .bind(status, error ? JSON.stringify(error) : null, ctx.clock.now(), wamid, RANK[status]);
}

const rankCase = () =>
  Object.entries(RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(" ");
