import { DAY, HOUR, MINUTE } from "../../../lib/clock";
import type { CoreContext } from "../../../config/context";
import { recordPending, type DepositRow } from "../../../stores/money/deposits";

/**
 * When a deposit is asked about again. A deposit the provider has not settled is checked with a
 * backoff, then after its lifetime no longer polled: it becomes EXPIRED, but `verify` or a
 * callback still asks the provider, and a late COMPLETED is still credited.
 */

/** After this long without a final answer, a deposit is no longer polled. */
const DEPOSIT_LIFETIME_MS = DAY;

/** Delay before the next poll, by the number of checks made: 1, 2, 5, 10, 30 minutes, then hourly. */
const POLL_BACKOFF_MS = [1, 2, 5, 10, 30].map((m) => m * MINUTE);

export function nextCheckAt(deposit: Pick<DepositRow, "checks" | "created_at">, now: number): number {
  const delay = POLL_BACKOFF_MS[deposit.checks] ?? HOUR;
  // The last check falls at the end of the lifetime, not up to an hour after it.
  return Math.min(now + delay, deposit.created_at + DEPOSIT_LIFETIME_MS);
}

/** Records a non-final answer and when to ask again; expires a PENDING deposit past its lifetime. */
export async function scheduleNextCheck(ctx: CoreContext, deposit: DepositRow, providerStatus: string | null): Promise<void> {
  const now = ctx.clock.now();
  const expire = now >= deposit.created_at + DEPOSIT_LIFETIME_MS;
  const status = await recordPending(ctx.db, deposit.id, { providerStatus, expire, nextCheckAt: nextCheckAt(deposit, now), now });
  if (expire && status === "EXPIRED" && deposit.status === "PENDING") {
    ctx.log.log("info", "deposit_expired", { deposit_id: deposit.id });
  }
}
