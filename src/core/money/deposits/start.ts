import { fail, ok, type FieldIssue, type Result } from "../../../lib/errors";
import { isCurrency, toMinorUnits } from "../../../lib/money";
import { mobileMoney, type DepositSnapshot, type InitiateOutcome } from "../../../upstreams/mobile-money";
import type { CoreContext } from "../../../config/context";
import { findDeposit, insertDeposit, markFailed, markInitiated, type DepositRow } from "../../../stores/money/deposits";
import { maxDeposit, type ProviderInfo } from "../markets";
import { resolvePayer } from "../payer";
import { nextCheckAt } from "./schedule";

export type { DepositRow } from "../../../stores/money/deposits";

/**
 * Mobile-money top-ups. A deposit is written (PENDING) before the provider hears of it, and money
 * moves only on what the provider's status endpoint says (see refresh.ts):
 *
 * PENDING ─ provider COMPLETED → COMPLETED (credited once)
 *         ├ provider FAILED or rejection → FAILED (final)
 *         └ still pending after 24 h → EXPIRED (see schedule.ts)
 */

export interface DepositRequest {
  from: string;
  amount: string | number;
  currency: string;
  /** A provider code, when the client knows better than the number's prefix. */
  provider?: string;
}

export interface StartedDeposit {
  deposit: DepositRow;
  provider: ProviderInfo;
}

/** What the provider is told about a deposit. */
export const snapshot = (d: DepositRow): DepositSnapshot => ({
  id: d.id,
  amount: d.amount,
  currency: d.currency,
  payer: d.payer,
  provider: d.provider,
  checks: d.checks,
});

/** `addfund`: validates, records the deposit, then asks the provider to collect it. */
export async function startDeposit(ctx: CoreContext, accountId: string, request: DepositRequest): Promise<Result<StartedDeposit>> {
  const currency = request.currency.trim().toUpperCase();
  if (!isCurrency(currency)) return invalid([{ field: "currency", kind: "invalid_value", reason: "is not a currency of any mobile-money market we serve" }]);
  const issues: FieldIssue[] = [];
  const amount = toMinorUnits(request.amount, currency);
  if (!amount.ok) issues.push({ field: "amount", kind: amount.kind, reason: amount.reason });
  else if (amount.value === 0) issues.push({ field: "amount", kind: "too_small", reason: "must be more than 0" });
  else if (amount.value > maxDeposit(currency).minor) issues.push({ field: "amount", kind: "too_big", reason: `must be at most ${maxDeposit(currency).text} ${currency}` });
  const payer = resolvePayer(request.from, currency, request.provider);
  if (!payer.ok) issues.push(payer.issue);
  if (!amount.ok || !payer.ok || issues.length) return invalid(issues);

  const upstream = mobileMoney(ctx);
  const now = ctx.clock.now();
  const deposit = await insertDeposit(ctx.db, {
    account_id: accountId,
    currency,
    amount: amount.value,
    payer: payer.value.msisdn,
    country: payer.value.market.country,
    provider: payer.value.provider.code,
    upstream: upstream.name,
    next_check_at: nextCheckAt({ checks: 0, created_at: now }, now),
  }, now);
  ctx.log.log("info", "deposit_created", { deposit_id: deposit.id, account_id: accountId, upstream: upstream.name });
  const rejected = await applyInitiation(ctx, deposit.id, await upstream.initiateDeposit(snapshot(deposit)));
  if (rejected) return rejected;
  return ok({ deposit: (await findDeposit(ctx.db, deposit.id))!, provider: payer.value.provider });
}

/** Records the provider's answer to an initiation; returns the error to report for a rejection. */
export async function applyInitiation(ctx: CoreContext, id: string, outcome: InitiateOutcome): Promise<Result<never> | null> {
  if (outcome.kind === "accepted") {
    await markInitiated(ctx.db, id, ctx.clock.now());
    return null;
  }
  if (outcome.kind === "unknown") {
    // Nothing is known: the poll asks for its status and initiates it again (same id) if the provider never got it.
    ctx.log.log("warn", "deposit_initiation_unknown", { deposit_id: id, reason: outcome.reason });
    return null;
  }
  await markFailed(ctx.db, id, "REJECTED", outcome, ctx.clock.now());
  ctx.log.log("info", "deposit_rejected", { deposit_id: id, failure_code: outcome.code });
  return rejectionError(outcome.code, outcome.message);
}

/** Provider rejection codes that point at one field of the request. */
const REJECTED_FIELD: Record<string, string> = {
  INVALID_PHONE_NUMBER: "from",
  INVALID_PAYER_FORMAT: "from",
  PAYER_NOT_FOUND: "from",
  INVALID_COUNTRY: "from",
  INVALID_AMOUNT: "amount",
  AMOUNT_OUT_OF_BOUNDS: "amount",
  AMOUNT_TOO_SMALL: "amount",
  AMOUNT_TOO_LARGE: "amount",
  INVALID_CURRENCY: "currency",
  INVALID_PROVIDER: "provider",
};

function rejectionError(code: string, message: string): Result<never> {
  const reason = `refused by the provider (${code})${message ? `: ${message}` : ""}`;
  const field = REJECTED_FIELD[code];
  if (field) return invalid([{ field, kind: "invalid_value", reason }]);
  return fail("upstream_failure", `The mobile-money provider ${reason}`);
}

function invalid(issues: FieldIssue[]): Result<never> {
  return fail("invalid_request", `Invalid deposit: ${issues.map((i) => i.field).join(", ")}`, { issues });
}
