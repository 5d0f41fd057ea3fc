import type { Currency } from "../../lib/money";
import { adjustmentReference } from "./references";
import type { LedgerEntryRow } from "./wallets";

/**
 * An operator's credit or debit: a ledger entry `adjustment:<audit id>` and its audit entry, one
 * batch. The wallet's CHECKs refuse a debit below zero or below what is held (the whole batch
 * fails, nothing is written); the UNIQUE reference makes a retry with the same audit id a no-op.
 */
export interface Adjustment {
  accountId: string;
  currency: Currency;
  /** Minor units, signed: credits > 0, debits < 0. */
  amount: number;
  auditId: string;
  memo: string;
  actor: string;
  action: "account.credit" | "account.debit";
  reason: string;
  now: number;
}

const ENTRY_COLUMNS = "id, account_id, currency, amount, reason, reference, memo, created_at";

export function adjustmentStatements(db: D1Database, a: Adjustment): [D1PreparedStatement, D1PreparedStatement] {
  const reference = adjustmentReference(a.auditId);
  const entry = db
    .prepare(
      `INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)
       VALUES (?, ?, ?, 'adjustment', ?, ?, ?) RETURNING ${ENTRY_COLUMNS}`,
    )
    .bind(a.accountId, a.currency, a.amount, reference, a.memo, a.now);
  // Before and after read the wallet the entry just changed, inside the same batch.
  const audit = db
    .prepare(
      `INSERT INTO audit_log (id, at, actor, action, target, before_json, after_json, reason)
       SELECT ?1, ?2, ?3, ?4, ?5,
         json_object('currency', currency, 'balance', balance - ?6, 'held', held),
         json_object('currency', currency, 'balance', balance, 'held', held, 'ledger_reference', ?7),
         ?8
       FROM wallets WHERE account_id = ?9 AND currency = ?10`,
    )
    .bind(a.auditId, a.now, a.actor, a.action, `account:${a.accountId}`, a.amount, reference, a.reason, a.accountId, a.currency);
  return [entry, audit];
}

/** The entry an adjustment wrote, by its audit id (a retried request finds its first answer). */
export async function findAdjustment(db: D1Database, accountId: string, auditId: string): Promise<LedgerEntryRow | null> {
  return db
    .prepare(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE account_id = ? AND reference = ?`)
    .bind(accountId, adjustmentReference(auditId))
    .first<LedgerEntryRow>();
}
