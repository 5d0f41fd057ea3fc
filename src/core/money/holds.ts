import { fail, ok, type Result } from "../../lib/errors";
import { formatAmount, type Currency } from "../../lib/money";
import { HOUR } from "../../lib/clock";
import type { CoreContext } from "../../config/context";
import { isFundsViolation } from "./ledger";

/**
 * Holds: money set aside for a paid action before it is known what it costs.
 *
 *   reserveHold → HELD ─ postHold (all or part of it) → POSTED: one debit entry
 *                      └ voidHold, or the cron once expired → VOIDED: nothing debited
 *
 * Each call is idempotent on the caller's reference (unique per account): repeating it returns
 * the outcome of the first. The database does the accounting (migrations/0002_money.sql): a hold
 * raises the wallet's `held`, which can never exceed its balance, so reserving more than is
 * available fails in the write itself.
 */

type HoldStatus = "HELD" | "POSTED" | "VOIDED";

export interface HoldRow {
  id: string;
  account_id: string;
  currency: Currency;
  reference: string;
  amount: number;
  status: HoldStatus;
  posted_amount: number | null;
  expires_at: number;
  created_at: number;
  settled_at: number | null;
}

const DEFAULT_HOLD_TTL_MS = HOUR;

const HOLD_COLUMNS = "id, account_id, currency, reference, amount, status, posted_amount, expires_at, created_at, settled_at";

export interface HoldRequest {
  accountId: string;
  currency: Currency;
  /** Minor units, > 0. */
  amount: number;
  /** The caller's id for what is paid for (a message id…), unique per account. */
  reference: string;
  /** How long the hold may stay unsettled before the cron voids it. */
  ttlMs?: number;
}

/** Sets `amount` aside. `insufficient_funds` when the wallet's available balance is short. */
export async function reserveHold(ctx: CoreContext, request: HoldRequest): Promise<Result<HoldRow>> {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) return fail("invalid_request", "A hold's amount must be a positive integer");
  let inserted: HoldRow | null;
  try {
    inserted = await reserveHoldStatement(ctx, request).first<HoldRow>();
  } catch (e) {
    if (isFundsViolation(e)) {
      return fail("insufficient_funds", `Insufficient funds: ${formatAmount(request.amount, request.currency)} ${request.currency} is not available`);
    }
    throw e;
  }
  if (inserted) return ok(inserted);
  const existing = await findHold(ctx, request.accountId, request.reference);
  if (!existing) throw new Error(`hold ${request.reference} conflicted but cannot be found`);
  if (existing.currency !== request.currency || existing.amount !== request.amount) {
    return fail("conflict", `Hold ${request.reference} already exists for ${formatAmount(existing.amount, existing.currency)} ${existing.currency}`);
  }
  return ok(existing);
}

/**
 * The statement that reserves a hold, for a caller that writes it in one `db.batch` with its own
 * rows (a message). A short wallet fails it with a funds violation (see `isFundsViolation`).
 */
export function reserveHoldStatement(ctx: CoreContext, request: HoldRequest): D1PreparedStatement {
  const now = ctx.clock.now();
  return ctx.db
    .prepare(
      `INSERT INTO holds (id, account_id, currency, reference, amount, status, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, 'HELD', ?, ?)
       ON CONFLICT (account_id, reference) DO NOTHING RETURNING ${HOLD_COLUMNS}`,
    )
    .bind(crypto.randomUUID(), request.accountId, request.currency, request.reference, request.amount, now + (request.ttlMs ?? DEFAULT_HOLD_TTL_MS), now);
}

/**
 * Debits `amount` (default: all of it; 0 debits nothing) and releases the rest. Repeating it
 * returns the first posting, whatever amount is passed the second time.
 */
export async function postHold(ctx: CoreContext, accountId: string, reference: string, amount?: number): Promise<Result<HoldRow>> {
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 0)) {
    return fail("invalid_request", "A posted amount must be a non-negative integer");
  }
  return settle(ctx, accountId, reference, "POSTED", amount);
}

/** Releases the hold without debiting anything. Repeating it returns the first outcome. */
export async function voidHold(ctx: CoreContext, accountId: string, reference: string): Promise<Result<HoldRow>> {
  return settle(ctx, accountId, reference, "VOIDED");
}

async function settle(ctx: CoreContext, accountId: string, reference: string, to: "POSTED" | "VOIDED", amount?: number): Promise<Result<HoldRow>> {
  // Only a HELD hold changes; its trigger releases it and, when posted, writes the debit `hold:<id>`.
  const settled = await settleHoldStatement(ctx, accountId, reference, to, amount).first<HoldRow>();
  if (settled) return ok(settled);
  const existing = await findHold(ctx, accountId, reference);
  if (!existing) return fail("not_found", `No hold ${reference}`);
  if (existing.status === to) return ok(existing);
  if (existing.status === "HELD") {
    return fail("invalid_request", `Cannot post ${amount} from hold ${reference} of ${existing.amount}`, {
      issues: [{ field: "amount", kind: "too_big", reason: `must be at most ${existing.amount}` }],
    });
  }
  return fail("conflict", `Hold ${reference} is already ${existing.status}`);
}

/** The guarded statement that settles a HELD hold (a no-op otherwise), for use in a `db.batch`. */
export function settleHoldStatement(ctx: CoreContext, accountId: string, reference: string, to: "POSTED" | "VOIDED", amount?: number): D1PreparedStatement {
  return ctx.db
    .prepare(
      `UPDATE holds SET status = ?1, posted_amount = CASE WHEN ?1 = 'POSTED' THEN COALESCE(?2, amount) END, settled_at = ?3
       WHERE account_id = ?4 AND reference = ?5 AND status = 'HELD' AND (?2 IS NULL OR ?2 <= amount)
       RETURNING ${HOLD_COLUMNS}`,
    )
    .bind(to, amount ?? null, ctx.clock.now(), accountId, reference);
}

export async function findHold(ctx: CoreContext, accountId: string, reference: string): Promise<HoldRow | null> {
  return ctx.db.prepare(`SELECT ${HOLD_COLUMNS} FROM holds WHERE account_id = ? AND reference = ?`).bind(accountId, reference).first<HoldRow>();
}

/** Voids holds past their expiry, at most `limit` per call (cron). Returns how many. */
export async function voidStaleHolds(ctx: CoreContext, limit = 500): Promise<number> {
  const now = ctx.clock.now();
  const result = await ctx.db
    .prepare(
      `UPDATE holds SET status = 'VOIDED', settled_at = ?1
       WHERE id IN (SELECT id FROM holds WHERE status = 'HELD' AND expires_at <= ?1 LIMIT ?2) AND status = 'HELD'`,
    )
    .bind(now, limit)
    .run();
  return result.meta.changes ?? 0;
}
