import type { CoreContext } from "../../config/context";
import { randomBytes, sha256Hex, toHex } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import type { Currency } from "../../lib/money";
import { findAccount } from "../../stores/accounts";
import { adjustmentStatements, findAdjustment } from "../../stores/money/adjustments";
import { isDuplicateReference, isFundsViolation, type LedgerEntryRow } from "../../stores/money/wallets";

export interface AdjustmentRequest {
  accountId: string;
  currency: Currency;
  /** Minor units, > 0. */
  amount: number;
  direction: "credit" | "debit";
  reason: string;
  actor: string;
  /** A retry with the same key answers the first adjustment and moves no money. */
  idempotencyKey?: string;
}

/**
 * The operator credits or debits an account's wallet, with a mandatory reason: one ledger entry
 * (reason `adjustment`, reference `adjustment:<audit id>`) and its audit entry in one batch. A
 * debit never takes the balance below zero or below what is held (`insufficient_funds`).
 */
export async function adjustBalance(ctx: CoreContext, r: AdjustmentRequest): Promise<Result<{ entry: LedgerEntryRow; auditId: string; replayed: boolean }>> {
  if (!(await findAccount(ctx.db, r.accountId))) return fail("not_found", "Account not found");
  const auditId = r.idempotencyKey ? `au_${(await sha256Hex(`${r.accountId}:${r.idempotencyKey}`)).slice(0, 24)}` : `au_${toHex(randomBytes(12))}`;
  const signed = r.direction === "credit" ? r.amount : -r.amount;
  const action = r.direction === "credit" ? "account.credit" : "account.debit";
  const memo = `operator ${r.direction}: ${r.reason}`;
  try {
    const [inserted] = await ctx.db.batch<LedgerEntryRow>(
      adjustmentStatements(ctx.db, { accountId: r.accountId, currency: r.currency, amount: signed, auditId, memo, actor: r.actor, action, reason: r.reason, now: ctx.clock.now() }),
    );
    ctx.log.log("info", "balance_adjusted", { account_id: r.accountId, currency: r.currency, amount: signed, actor: r.actor });
    return ok({ entry: inserted!.results[0]!, auditId, replayed: false });
  } catch (e) {
    if (isFundsViolation(e)) return fail("insufficient_funds", `The ${r.currency} wallet cannot be debited ${r.amount}: its balance would go below zero or below what is held`);
    if (!isDuplicateReference(e)) throw e;
    const first = await findAdjustment(ctx.db, r.accountId, auditId);
    if (!first || first.amount !== signed || first.currency !== r.currency) {
      return fail("conflict", "This Idempotency-Key was used for another adjustment", { reason: "idempotency_key_reused" });
    }
    return ok({ entry: first, auditId, replayed: true });
  }
}
