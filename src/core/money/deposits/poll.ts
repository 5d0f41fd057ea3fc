import { MINUTE } from "../../../lib/clock";
import { describeError } from "../../../lib/log";
import type { CoreContext } from "../../../config/context";
import { takeDueDeposits } from "../../../stores/money/deposits";
import { refreshDeposit } from "./refresh";

/** How long a poll holds on to the deposits it took, so an overlapping run leaves them alone. */
const POLL_LEASE_MS = 5 * MINUTE;
const POLL_CONCURRENCY = 5;

/**
 * Cron: checks the PENDING deposits whose next check is due, at most `limit` per run, a few at a
 * time. Taking them is one UPDATE that pushes their next check ahead, so two overlapping runs
 * never poll the same deposit.
 */
export async function pollDueDeposits(ctx: CoreContext, limit = 25): Promise<number> {
  const now = ctx.clock.now();
  const ids = await takeDueDeposits(ctx.db, { now, limit, leaseUntil: now + POLL_LEASE_MS });
  for (let i = 0; i < ids.length; i += POLL_CONCURRENCY) {
    await Promise.all(
      ids.slice(i, i + POLL_CONCURRENCY).map((id) =>
        refreshDeposit(ctx, id).catch((e) => ctx.log.log("error", "deposit_poll_failed", { deposit_id: id, ...describeError(e) })),
      ),
    );
  }
  return ids.length;
}
