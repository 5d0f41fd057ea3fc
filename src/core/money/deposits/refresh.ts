import { fail, ok, type Result } from "../../../lib/errors";
import { mobileMoney } from "../../../upstreams/mobile-money";
import type { CoreContext } from "../../../config/context";
import { creditDeposit, findDeposit, markFailed, startCheck, type DepositRow } from "../../../stores/money/deposits";
import { isDuplicateReference } from "../../../stores/money/wallets";
import { scheduleNextCheck } from "./schedule";
import { applyInitiation, snapshot } from "./start";

/**
 * Checking a deposit with its provider. `verify`, the provider's callback and the cron poll all go
 * through `refreshDeposit`; the credit is one batch that inserts the ledger entry `deposit:<id>`
 * (UNIQUE) only while the deposit is not yet COMPLETED and marks it COMPLETED, so whichever sees
 * COMPLETED first credits and the others find it done.
 */

export interface Refreshed {
  deposit: DepositRow;
  /** This call is the one that credited the wallet. */
  credited: boolean;
}

/** `verify`: the account's deposit, checked with the provider unless already final. */
export async function verifyDeposit(ctx: CoreContext, accountId: string, id: string): Promise<Result<Refreshed>> {
  const deposit = await findDeposit(ctx.db, id, accountId);
  if (!deposit) return fail("not_found", `No deposit ${id}`);
  if (isFinal(deposit)) return ok({ deposit, credited: false });
  return ok(await refreshDeposit(ctx, deposit.id));
}

/** The provider's callback: only a hint to check; unknown and final deposits are ignored. */
export async function depositCallback(ctx: CoreContext, id: string): Promise<"checked" | "ignored"> {
  const deposit = await findDeposit(ctx.db, id);
  if (!deposit || isFinal(deposit)) return "ignored";
  await refreshDeposit(ctx, deposit.id);
  return "checked";
}

const isFinal = (d: DepositRow) => d.status === "COMPLETED" || d.status === "FAILED";

/** Asks the provider for the deposit's status and applies it. Safe to run concurrently. */
export async function refreshDeposit(ctx: CoreContext, id: string): Promise<Refreshed> {
  const deposit = await startCheck(ctx.db, id, ctx.clock.now());
  if (!deposit) return { deposit: (await findDeposit(ctx.db, id))!, credited: false };
  const upstream = mobileMoney(ctx, deposit.upstream);
  const outcome = await upstream.checkDeposit(snapshot(deposit));
  let credited = false;
  switch (outcome.kind) {
    case "completed":
      if (outcome.amount === deposit.amount && outcome.currency === deposit.currency) {
        credited = await credit(ctx, deposit, outcome.providerTransactionId);
      } else {
        // Never credit what we did not ask for; an operator has to look at it.
        ctx.log.log("error", "deposit_amount_mismatch", {
          deposit_id: id, expected: `${deposit.amount} ${deposit.currency}`, reported: `${outcome.amount} ${outcome.currency}`,
        });
        await scheduleNextCheck(ctx, deposit, null);
      }
      break;
    case "failed":
      await markFailed(ctx.db, id, "FAILED", outcome, ctx.clock.now());
      ctx.log.log("info", "deposit_failed", { deposit_id: id, failure_code: outcome.code });
      break;
    case "pending":
      await scheduleNextCheck(ctx, deposit, outcome.status);
      break;
    case "not_found":
      // Only a deposit whose initiation went unanswered may be unknown to the provider: send it again.
      if (deposit.provider_status === null) await applyInitiation(ctx, id, await upstream.initiateDeposit(snapshot(deposit)));
      await scheduleNextCheck(ctx, deposit, null);
      break;
    case "unknown":
      ctx.log.log("warn", "deposit_status_unknown", { deposit_id: id, reason: outcome.reason });
      await scheduleNextCheck(ctx, deposit, null);
      break;
  }
  return { deposit: (await findDeposit(ctx.db, id))!, credited };
}

/** Credits the deposit once: a concurrent check that credited it first makes this one a no-op. */
async function credit(ctx: CoreContext, deposit: DepositRow, providerTransactionId: string | null): Promise<boolean> {
  try {
    const credited = await creditDeposit(ctx.db, deposit, providerTransactionId, ctx.clock.now());
    if (credited) ctx.log.log("info", "deposit_credited", { deposit_id: deposit.id, account_id: deposit.account_id });
    return credited;
  } catch (e) {
    if (isDuplicateReference(e)) return false;
    throw e;
  }
}
