import { DAY, HOUR, MINUTE } from "../../lib/clock";
import { fail, ok, type FieldIssue, type Result } from "../../lib/errors";
import { describeError } from "../../lib/log";
import { isCurrency, toMinorUnits, type Currency } from "../../lib/money";
import { mobileMoney, type DepositSnapshot, type InitiateOutcome, type MobileMoneyName } from "../../upstreams/mobile-money";
import { uniqueViolation } from "../../stores/unique-violation";
import type { CoreContext } from "../../config/context";
import type { ProviderInfo } from "./markets";
import { resolvePayer } from "./payer";

/**
 * Mobile-money top-ups. A deposit is written (PENDING) before the provider hears of it, and money
 * moves only on what the provider's status endpoint says. `verify`, the provider's callback and
 * the cron poll all go through `refreshDeposit`; the credit is one batch that inserts the ledger
 * entry `deposit:<id>` (UNIQUE) only while the deposit is not yet COMPLETED and marks it
 * COMPLETED, so whichever sees COMPLETED first credits and the others find it done.
 *
 * PENDING ─ provider COMPLETED → COMPLETED (credited once)
 *         ├ provider FAILED or rejection → FAILED (final)
 *         └ still pending after 24 h → EXPIRED: no more polling, but `verify` or a callback still
 *           asks the provider, and a late COMPLETED is still credited.
 */

type DepositStatus = "PENDING" | "COMPLETED" | "FAILED" | "EXPIRED";

export interface DepositRow {
  id: string;
  account_id: string;
  currency: Currency;
  amount: number;
  payer: string;
  country: string;
  provider: string;
  upstream: MobileMoneyName;
  status: DepositStatus;
  provider_status: string | null;
  failure_code: string | null;
  failure_message: string | null;
  provider_transaction_id: string | null;
  checks: number;
  next_check_at: number | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

/** After this long without a final answer, a deposit is no longer polled. */
const DEPOSIT_LIFETIME_MS = DAY;

/** Delay before the next poll, by the number of checks made: 1, 2, 5, 10, 30 minutes, then hourly. */
const POLL_BACKOFF_MS = [1, 2, 5, 10, 30].map((m) => m * MINUTE);

export function nextCheckAt(deposit: Pick<DepositRow, "checks" | "created_at">, now: number): number {
  const delay = POLL_BACKOFF_MS[deposit.checks] ?? HOUR;
  // The last check falls at the end of the lifetime, not up to an hour after it.
  return Math.min(now + delay, deposit.created_at + DEPOSIT_LIFETIME_MS);
}

const snapshot = (d: DepositRow): DepositSnapshot => ({
  id: d.id,
  amount: d.amount,
  currency: d.currency,
  payer: d.payer,
  provider: d.provider,
  checks: d.checks,
});

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

/** `addfund`: validates, records the deposit, then asks the provider to collect it. */
export async function startDeposit(ctx: CoreContext, accountId: string, request: DepositRequest): Promise<Result<StartedDeposit>> {
  const currency = request.currency.trim().toUpperCase();
  if (!isCurrency(currency)) return invalid([{ field: "currency", kind: "invalid_value", reason: "is not a currency of any mobile-money market we serve" }]);
  const issues: FieldIssue[] = [];
  const amount = toMinorUnits(request.amount, currency);
  if (!amount.ok) issues.push({ field: "amount", kind: amount.kind, reason: amount.reason });
  else if (amount.value === 0) issues.push({ field: "amount", kind: "too_small", reason: "must be more than 0" });
  const payer = resolvePayer(request.from, currency, request.provider);
  if (!payer.ok) issues.push(payer.issue);
  if (!amount.ok || !payer.ok || issues.length) return invalid(issues);

  const upstream = mobileMoney(ctx);
  const now = ctx.clock.now();
  const deposit = await ctx.db
    .prepare(
      `INSERT INTO deposits (id, account_id, currency, amount, payer, country, provider, upstream, status, checks, next_check_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) RETURNING *`,
    )
    .bind(
      crypto.randomUUID(), accountId, currency, amount.value, payer.value.msisdn, payer.value.market.country,
      payer.value.provider.code, upstream.name, now + POLL_BACKOFF_MS[0]!, now, now,
    )
    .first<DepositRow>();
  ctx.log.log("info", "deposit_created", { deposit_id: deposit!.id, account_id: accountId, upstream: upstream.name });
  const outcome = await upstream.initiateDeposit(snapshot(deposit!));
  const rejected = await applyInitiation(ctx, deposit!.id, outcome);
  if (rejected) return rejected;
  return ok({ deposit: (await findDeposit(ctx, deposit!.id))!, provider: payer.value.provider });
}

/** Records the provider's answer to an initiation; returns the error to report for a rejection. */
async function applyInitiation(ctx: CoreContext, id: string, outcome: InitiateOutcome): Promise<Result<never> | null> {
  const now = ctx.clock.now();
  if (outcome.kind === "accepted") {
    await ctx.db
      .prepare("UPDATE deposits SET provider_status = 'ACCEPTED', updated_at = ? WHERE id = ? AND provider_status IS NULL")
      .bind(now, id)
      .run();
    return null;
  }
  if (outcome.kind === "unknown") {
    // Nothing is known: the poll asks for its status and initiates it again (same id) if the provider never got it.
    ctx.log.log("warn", "deposit_initiation_unknown", { deposit_id: id, reason: outcome.reason });
    return null;
  }
  await ctx.db
    .prepare(
      `UPDATE deposits SET status = 'FAILED', provider_status = 'REJECTED', failure_code = ?, failure_message = ?, next_check_at = NULL, updated_at = ?
       WHERE id = ? AND status = 'PENDING'`,
    )
    .bind(outcome.code, outcome.message || null, now, id)
    .run();
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

export async function findDeposit(ctx: CoreContext, id: string, accountId?: string): Promise<DepositRow | null> {
  return ctx.db
    .prepare("SELECT * FROM deposits WHERE id = ?1 AND (?2 IS NULL OR account_id = ?2)")
    .bind(id, accountId ?? null)
    .first<DepositRow>();
}

export interface Refreshed {
  deposit: DepositRow;
  /** This call is the one that credited the wallet. */
  credited: boolean;
}

/** `verify`: the account's deposit, checked with the provider unless already final. */
export async function verifyDeposit(ctx: CoreContext, accountId: string, id: string): Promise<Result<Refreshed>> {
  const deposit = await findDeposit(ctx, id, accountId);
  if (!deposit) return fail("not_found", `No deposit ${id}`);
  if (isFinal(deposit)) return ok({ deposit, credited: false });
  return ok(await refreshDeposit(ctx, deposit.id));
}

/** The provider's callback: only a hint to check; unknown and final deposits are ignored. */
export async function depositCallback(ctx: CoreContext, id: string): Promise<"checked" | "ignored"> {
  const deposit = await findDeposit(ctx, id);
  if (!deposit || isFinal(deposit)) return "ignored";
  await refreshDeposit(ctx, deposit.id);
  return "checked";
}

const isFinal = (d: DepositRow) => d.status === "COMPLETED" || d.status === "FAILED";

/** Asks the provider for the deposit's status and applies it. Safe to run concurrently. */
export async function refreshDeposit(ctx: CoreContext, id: string): Promise<Refreshed> {
  const deposit = await ctx.db
    .prepare("UPDATE deposits SET checks = checks + 1, updated_at = ? WHERE id = ? AND status IN ('PENDING', 'EXPIRED') RETURNING *")
    .bind(ctx.clock.now(), id)
    .first<DepositRow>();
  if (!deposit) return { deposit: (await findDeposit(ctx, id))!, credited: false };
  const upstream = mobileMoney(ctx, deposit.upstream);
  const outcome = await upstream.checkDeposit(snapshot(deposit));
  let credited = false;
  switch (outcome.kind) {
    case "completed":
      if (outcome.amount === deposit.amount && outcome.currency === deposit.currency) {
        credited = await creditDeposit(ctx, deposit, outcome.providerTransactionId);
      } else {
        // Never credit what we did not ask for; an operator has to look at it.
        ctx.log.log("error", "deposit_amount_mismatch", {
          deposit_id: id, expected: `${deposit.amount} ${deposit.currency}`, reported: `${outcome.amount} ${outcome.currency}`,
        });
        await schedule(ctx, deposit, null);
      }
      break;
    case "failed":
      await ctx.db
        .prepare(
          `UPDATE deposits SET status = 'FAILED', provider_status = 'FAILED', failure_code = ?, failure_message = ?, next_check_at = NULL, updated_at = ?
           WHERE id = ? AND status IN ('PENDING', 'EXPIRED')`,
        )
        .bind(outcome.code, outcome.message || null, ctx.clock.now(), id)
        .run();
      ctx.log.log("info", "deposit_failed", { deposit_id: id, failure_code: outcome.code });
      break;
    case "pending":
      await schedule(ctx, deposit, outcome.status);
      break;
    case "not_found":
      // Only a deposit whose initiation went unanswered may be unknown to the provider: send it again.
      if (deposit.provider_status === null) await applyInitiation(ctx, id, await upstream.initiateDeposit(snapshot(deposit)));
      await schedule(ctx, deposit, null);
      break;
    case "unknown":
      ctx.log.log("warn", "deposit_status_unknown", { deposit_id: id, reason: outcome.reason });
      await schedule(ctx, deposit, null);
      break;
  }
  return { deposit: (await findDeposit(ctx, id))!, credited };
}

/** The exactly-once credit: the entry is written only by the batch that moves the deposit to COMPLETED. */
async function creditDeposit(ctx: CoreContext, deposit: DepositRow, providerTransactionId: string | null): Promise<boolean> {
  const now = ctx.clock.now();
  try {
    const [entry] = await ctx.db.batch([
      ctx.db
        .prepare(
          `INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
           SELECT account_id, currency, amount, 'deposit', 'deposit:' || id, provider || ' ' || payer, ?
           FROM deposits WHERE id = ? AND status IN ('PENDING', 'EXPIRED')`,
        )
        .bind(now, deposit.id),
      ctx.db
        .prepare(
          `UPDATE deposits SET status = 'COMPLETED', provider_status = 'COMPLETED', provider_transaction_id = ?, completed_at = ?,
             next_check_at = NULL, updated_at = ?
           WHERE id = ? AND status IN ('PENDING', 'EXPIRED')`,
        )
        .bind(providerTransactionId, now, now, deposit.id),
    ]);
    const credited = (entry!.meta.changes ?? 0) > 0;
    if (credited) ctx.log.log("info", "deposit_credited", { deposit_id: deposit.id, account_id: deposit.account_id });
    return credited;
  } catch (e) {
    if (uniqueViolation(e) === "ledger_entries.reference") return false;
    throw e;
  }
}

/** Records a non-final answer and when to ask again; expires a PENDING deposit past its lifetime. */
async function schedule(ctx: CoreContext, deposit: DepositRow, providerStatus: string | null): Promise<void> {
  const now = ctx.clock.now();
  const expired = now >= deposit.created_at + DEPOSIT_LIFETIME_MS ? 1 : 0;
  const result = await ctx.db
    .prepare(
      `UPDATE deposits SET provider_status = COALESCE(?1, provider_status),
         status = CASE WHEN status = 'PENDING' AND ?2 THEN 'EXPIRED' ELSE status END,
         next_check_at = CASE WHEN status = 'PENDING' AND NOT ?2 THEN ?3 END,
         updated_at = ?4
       WHERE id = ?5 AND status IN ('PENDING', 'EXPIRED') RETURNING status`,
    )
    .bind(providerStatus, expired, nextCheckAt(deposit, now), now, deposit.id)
    .first<{ status: DepositStatus }>();
  if (expired && result?.status === "EXPIRED" && deposit.status === "PENDING") {
    ctx.log.log("info", "deposit_expired", { deposit_id: deposit.id });
  }
}

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
  const taken = await ctx.db
    .prepare(
      `UPDATE deposits SET next_check_at = ?1
       WHERE id IN (SELECT id FROM deposits WHERE status = 'PENDING' AND next_check_at <= ?2 ORDER BY next_check_at LIMIT ?3)
       RETURNING id`,
    )
    .bind(now + POLL_LEASE_MS, now, limit)
    .all<{ id: string }>();
  const ids = taken.results.map((r) => r.id);
  for (let i = 0; i < ids.length; i += POLL_CONCURRENCY) {
    await Promise.all(
      ids.slice(i, i + POLL_CONCURRENCY).map((id) =>
        refreshDeposit(ctx, id).catch((e) => ctx.log.log("error", "deposit_poll_failed", { deposit_id: id, ...describeError(e) })),
      ),
    );
  }
  return ids.length;
}
