import type { CoreContext } from "../../config/context";
import { voidHoldStatement } from "../../stores/money/holds";
import { releaseStatement } from "./idempotency";

/** Longer than any send takes (three upstream tries with their timeouts); its hold lives as long. */
export const STALE_PENDING_MS = 15 * 60 * 1000;

/**
 * Cron: a message still `pending` this long was interrupted between its write and the upstream's
 * answer (a crash). It becomes failed, its hold is voided (the client is not charged for a send
 * nobody saw accepted) and its idempotency key is released. At most `limit` per run.
 */
export async function failStaleMessages(ctx: CoreContext, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  const { results } = await ctx.db
    .prepare(
      `UPDATE messages SET status = 'failed', error = ?1, updated_at = ?2
       WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND created_at <= ?3 LIMIT ?4) AND status = 'pending'
       RETURNING id, account_id, hold_reference`,
    )
    .bind(JSON.stringify({ code: "interrupted", message: "The send was interrupted before the upstream answered" }), now, now - STALE_PENDING_MS, limit)
    .all<{ id: string; account_id: string; hold_reference: string | null }>();
  const statements = results.flatMap((m) => [
    releaseStatement(ctx, m.account_id, m.id),
    ...(m.hold_reference ? [voidHoldStatement(ctx.db, m.account_id, m.hold_reference, now)] : []),
  ]);
  if (statements.length) await ctx.db.batch(statements);
  return results.length;
}
