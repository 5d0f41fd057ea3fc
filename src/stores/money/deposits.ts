import type { Currency } from "../../lib/money";
import type { Config } from "../../config/env";
import { depositReference } from "./references";

/**
 * Mobile-money deposits (see src/core/money/deposits/). A deposit changes only while it is not
 * final: every write below is guarded by the status it expects, so concurrent checks of one
 * deposit (verify, the provider's callback, the cron poll) cannot undo each other.
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
  upstream: Config["MOBILE_MONEY"];
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

type NewDeposit = Pick<DepositRow, "account_id" | "currency" | "amount" | "payer" | "country" | "provider" | "upstream" | "next_check_at">;

/** Records a deposit, PENDING, before the provider hears of it. */
export async function insertDeposit(db: D1Database, d: NewDeposit, now: number): Promise<DepositRow> {
  const row = await db
    .prepare(
      `INSERT INTO deposits (id, account_id, currency, amount, payer, country, provider, upstream, status, checks, next_check_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) RETURNING *`,
    )
    .bind(crypto.randomUUID(), d.account_id, d.currency, d.amount, d.payer, d.country, d.provider, d.upstream, d.next_check_at, now, now)
    .first<DepositRow>();
  return row!;
}

export async function findDeposit(db: D1Database, id: string, accountId?: string): Promise<DepositRow | null> {
  return db
    .prepare("SELECT * FROM deposits WHERE id = ?1 AND (?2 IS NULL OR account_id = ?2)")
    .bind(id, accountId ?? null)
    .first<DepositRow>();
}

/** The provider confirmed it received the initiation. */
export async function markInitiated(db: D1Database, id: string, now: number): Promise<void> {
  await db
    .prepare("UPDATE deposits SET provider_status = 'ACCEPTED', updated_at = ? WHERE id = ? AND provider_status IS NULL")
    .bind(now, id)
    .run();
}

/** Final failure: the provider rejected the initiation (`REJECTED`, only while PENDING) or reported the deposit `FAILED`. */
export async function markFailed(
  db: D1Database,
  id: string,
  providerStatus: "REJECTED" | "FAILED",
  failure: { code: string; message: string },
  now: number,
): Promise<void> {
  const from = providerStatus === "REJECTED" ? "('PENDING')" : "('PENDING', 'EXPIRED')";
  await db
    .prepare(
      `UPDATE deposits SET status = 'FAILED', provider_status = ?, failure_code = ?, failure_message = ?, next_check_at = NULL, updated_at = ?
       WHERE id = ? AND status IN ${from}`,
    )
    .bind(providerStatus, failure.code, failure.message || null, now, id)
    .run();
}

/** Counts one more check of a deposit that is not final; null when it is final (or unknown). */
export async function startCheck(db: D1Database, id: string, now: number): Promise<DepositRow | null> {
  return db
    .prepare("UPDATE deposits SET checks = checks + 1, updated_at = ? WHERE id = ? AND status IN ('PENDING', 'EXPIRED') RETURNING *")
    .bind(now, id)
    .first<DepositRow>();
}

/**
 * The exactly-once credit, one batch: the entry `deposit:<id>` is written only while the deposit
 * is not yet COMPLETED, and the deposit becomes COMPLETED. True when this call wrote the entry; a
 * concurrent credit fails it on the entry's UNIQUE reference (see `isDuplicateReference`).
 */
export async function creditDeposit(db: D1Database, deposit: DepositRow, providerTransactionId: string | null, now: number): Promise<boolean> {
  const [entry] = await db.batch([
    db
      .prepare(
        `INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
         SELECT account_id, currency, amount, 'deposit', ?, provider || ' ' || payer, ?
         FROM deposits WHERE id = ? AND status IN ('PENDING', 'EXPIRED')`,
      )
      .bind(depositReference(deposit.id), now, deposit.id),
    db
      .prepare(
        `UPDATE deposits SET status = 'COMPLETED', provider_status = 'COMPLETED', provider_transaction_id = ?, completed_at = ?,
           next_check_at = NULL, updated_at = ?
         WHERE id = ? AND status IN ('PENDING', 'EXPIRED')`,
      )
      .bind(providerTransactionId, now, now, deposit.id),
  ]);
  return (entry!.meta.changes ?? 0) > 0;
}

/**
 * Records a non-final answer (`providerStatus`, when there is one) and the next check; with
 * `expire`, a PENDING deposit becomes EXPIRED and is no longer polled. Returns the status it left,
 * null when the deposit had become final meanwhile.
 */
export async function recordPending(
  db: D1Database,
  id: string,
  update: { providerStatus: string | null; expire: boolean; nextCheckAt: number; now: number },
): Promise<DepositStatus | null> {
  const row = await db
    .prepare(
      `UPDATE deposits SET provider_status = COALESCE(?1, provider_status),
         status = CASE WHEN status = 'PENDING' AND ?2 THEN 'EXPIRED' ELSE status END,
         next_check_at = CASE WHEN status = 'PENDING' AND NOT ?2 THEN ?3 END,
         updated_at = ?4
       WHERE id = ?5 AND status IN ('PENDING', 'EXPIRED') RETURNING status`,
    )
    .bind(update.providerStatus, update.expire ? 1 : 0, update.nextCheckAt, update.now, id)
    .first<{ status: DepositStatus }>();
  return row?.status ?? null;
}

/**
 * Takes the PENDING deposits whose next check is due, at most `limit`, by pushing their next
 * check to `leaseUntil` in the same statement: two overlapping polls never take the same one.
 */
export async function takeDueDeposits(db: D1Database, due: { now: number; limit: number; leaseUntil: number }): Promise<string[]> {
  const taken = await db
    .prepare(
      `UPDATE deposits SET next_check_at = ?1
       WHERE id IN (SELECT id FROM deposits WHERE status = 'PENDING' AND next_check_at <= ?2 ORDER BY next_check_at LIMIT ?3)
       RETURNING id`,
    )
    .bind(due.leaseUntil, due.now, due.limit)
    .all<{ id: string }>();
  return taken.results.map((r) => r.id);
}
