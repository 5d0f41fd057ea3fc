import type { CoreContext } from "../../config/context";
import { voidHoldStatement } from "../../stores/money/holds";
import { releaseStatement } from "./idempotency";
import { messageLog, STALE_PENDING_MS } from "./store";

/**
 * Cron: a message still `pending` STALE_PENDING_MS after it was written was interrupted between
 * its write and the upstream's answer (a crash). It becomes failed, its hold is voided (the
 * client is not charged for a send nobody saw accepted) and its idempotency key is released.
 * At most `limit` per run.
 */
export async function failStaleMessages(ctx: CoreContext, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  const error = JSON.stringify({ code: "interrupted", message: "The send was interrupted before the upstream answered" });
  const failed = await messageLog(ctx).failStale(now - STALE_PENDING_MS, error, now, limit);
  const statements = failed.flatMap((m) => [
    releaseStatement(ctx, m.account_id, m.id),
    ...(m.hold_reference ? [voidHoldStatement(ctx.db, m.account_id, m.hold_reference, now)] : []),
  ]);
  if (statements.length) await ctx.db.batch(statements);
  return failed.length;
}
