import type { Currency } from "../../lib/money";
import type { SqlSelect } from "../select";
import { refundReference } from "./references";

/**
 * Holds: money set aside for a paid message before the upstream has answered.
 *
 *   reserve → HELD ─ post (Meta accepted it) → POSTED: one debit entry `hold:<id>`
 *                  └ void (refused, interrupted, cancelled, or expired: the cron) → VOIDED: nothing debited
 *   POSTED, and the message failed after all → one credit entry `refund:<id>`
 *
 * Every statement here is guarded, so repeating one changes nothing: a reference (the message
 * id) has one hold per account, only a HELD hold settles, a refund reference is UNIQUE. The
 * database does the accounting (migrations/0002_money.sql): a hold raises the wallet's `held`,
 * which can never exceed its balance, so reserving more than is available fails the write itself
 * (see `isFundsViolation`), and with it the whole batch.
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

const HOLD_COLUMNS = "id, account_id, currency, reference, amount, status, posted_amount, expires_at, created_at, settled_at";

export interface HoldRequest {
  accountId: string;
  currency: Currency;
  /** Minor units, > 0. */
  amount: number;
  /** When the cron voids it if it is still unsettled. */
  expiresAt: number;
  now: number;
}

/**
 * Reserves a hold for `reference` (the message id), for the batch that writes the message. The
 * hold it made comes back as the statement's row; none when the reference already had one.
 */
export function reserveHoldStatement(db: D1Database, request: HoldRequest & { reference: string }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO holds (id, account_id, currency, reference, amount, status, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, 'HELD', ?, ?)
       ON CONFLICT (account_id, reference) DO NOTHING RETURNING ${HOLD_COLUMNS}`,
    )
    .bind(crypto.randomUUID(), request.accountId, request.currency, request.reference, request.amount, request.expiresAt, request.now);
}

/** Reserves one hold of `amount` per reference that `references` selects (one column, `reference`): a campaign's recipients. */
export function reserveHoldsStatement(db: D1Database, request: HoldRequest, references: SqlSelect): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO holds (id, account_id, currency, reference, amount, status, expires_at, created_at)
       SELECT lower(hex(randomblob(16))), ?, ?, reference, ?, 'HELD', ?, ? FROM (${references.sql})`,
    )
    .bind(request.accountId, request.currency, request.amount, request.expiresAt, request.now, ...references.params);
}

/** Debits the whole hold (its trigger writes the entry `hold:<id>`); a no-op unless it is HELD. Returns the hold it posted. */
export const postHoldStatement = (db: D1Database, accountId: string, reference: string, now: number) => settle(db, accountId, reference, "POSTED", now);

/** Posts the HELD holds of `references` (a campaign group's accepted sends) in one statement; each posted hold's trigger writes its entry. */
export function postHoldsStatement(db: D1Database, accountId: string, references: string[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE holds SET status = 'POSTED', posted_amount = amount, settled_at = ?1
       WHERE account_id = ?2 AND status = 'HELD' AND reference IN (SELECT value FROM json_each(?3))`,
    )
    .bind(now, accountId, JSON.stringify(references));
}

/** Releases the hold without debiting anything; a no-op unless it is HELD. Returns the hold it voided. */
export const voidHoldStatement = (db: D1Database, accountId: string, reference: string, now: number) => settle(db, accountId, reference, "VOIDED", now);

function settle(db: D1Database, accountId: string, reference: string, to: "POSTED" | "VOIDED", now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE holds SET status = ?1, posted_amount = CASE WHEN ?1 = 'POSTED' THEN amount END, settled_at = ?2
       WHERE account_id = ?3 AND reference = ?4 AND status = 'HELD'
       RETURNING ${HOLD_COLUMNS}`,
    )
    .bind(to, now, accountId, reference);
}

/** Voids the HELD holds that `holds` selects, as (account_id, reference) pairs: a campaign's unsent recipients. */
export function voidHoldsStatement(db: D1Database, holds: SqlSelect, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE holds SET status = 'VOIDED', settled_at = ? WHERE status = 'HELD' AND (account_id, reference) IN (${holds.sql})`)
    .bind(now, ...holds.params);
}

/** Cron: voids holds past their expiry, at most `limit` per call. Returns how many. */
export async function voidStaleHolds(db: D1Database, now: number, limit = 500): Promise<number> {
  const result = await db
    .prepare(
      `UPDATE holds SET status = 'VOIDED', settled_at = ?1
       WHERE id IN (SELECT id FROM holds WHERE status = 'HELD' AND expires_at <= ?1 LIMIT ?2) AND status = 'HELD'`,
    )
    .bind(now, limit)
    .run();
  return result.meta.changes ?? 0;
}

/**
 * Credits back the debit of the POSTED hold that `hold` selects, as an (account_id, reference)
 * pair: the entry `refund:<hold id>`, written at most once. Changes nothing for a hold that is
 * not posted, posted nothing, or was refunded already.
 */
export function refundHoldStatement(db: D1Database, hold: SqlSelect, memo: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
       SELECT account_id, currency, posted_amount, 'hold', ? || id, ?, ?
       FROM holds WHERE (account_id, reference) IN (${hold.sql}) AND status = 'POSTED' AND posted_amount > 0
       ON CONFLICT (reference) DO NOTHING`,
    )
    // refundReference(id), spelled in SQL: its prefix, then the hold's id.
    .bind(refundReference(""), memo, now, ...hold.params);
}

/**
 * SQL conditions on a hold, for another aggregate's guarded write (a campaign recipient's claim):
 * `account` and `reference` are SQL expressions (a parameter, a column) naming the hold.
 */
export const holdIsHeldSql = (account: string, reference: string) =>
  `EXISTS (SELECT 1 FROM holds h WHERE h.account_id = ${account} AND h.reference = ${reference} AND h.status = 'HELD')`;

export const holdIsSettledSql = (account: string, reference: string) =>
  `EXISTS (SELECT 1 FROM holds h WHERE h.account_id = ${account} AND h.reference = ${reference} AND h.status != 'HELD')`;

/** A message's charge as it stands: its hold's status, and whether the posted amount was refunded. */
export async function chargeState(db: D1Database, accountId: string, reference: string): Promise<{ status: HoldStatus; refunded: boolean } | null> {
  const row = await db
    .prepare("SELECT h.status, EXISTS (SELECT 1 FROM ledger_entries l WHERE l.reference = ? || h.id) AS refunded FROM holds h WHERE h.account_id = ? AND h.reference = ?")
    .bind(refundReference(""), accountId, reference)
    .first<{ status: HoldStatus; refunded: number }>();
  return row ? { status: row.status, refunded: row.refunded === 1 } : null;
}
