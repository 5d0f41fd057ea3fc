import type { Currency } from "../../lib/money";
import type { SqlSelect } from "../select";
import { uniqueViolation } from "../unique-violation";
import { renewalReference } from "./references";

/**
 * Wallets and their ledger. A wallet's balance only ever changes through a ledger entry, and the
 * database keeps the two equal (see migrations/0002_money.sql): code here writes entries and reads
 * wallets, and never updates a balance itself.
 */

export interface WalletRow {
  account_id: string;
  currency: Currency;
  balance: number;
  held: number;
  updated_at: number;
}

export interface LedgerEntryRow {
  id: number;
  account_id: string;
  currency: Currency;
  amount: number;
  reason: "deposit" | "plan" | "hold" | "adjustment";
  reference: string;
  memo: string | null;
  created_at: number;
}

export async function findWallets(db: D1Database, accountId: string): Promise<WalletRow[]> {
  const rows = await db
    .prepare("SELECT account_id, currency, balance, held, updated_at FROM wallets WHERE account_id = ? ORDER BY currency")
    .bind(accountId)
    .all<WalletRow>();
  return rows.results;
}

/** The wallets of several accounts (the operator's directory), in one query. */
export async function findWalletsOf(db: D1Database, accountIds: string[]): Promise<WalletRow[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .prepare(`SELECT account_id, currency, balance, held, updated_at FROM wallets WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, currency`)
    .bind(JSON.stringify(accountIds))
    .all<WalletRow>();
  return rows.results;
}

export interface LedgerPage {
  entries: LedgerEntryRow[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

/** The account's entries, newest first, `limit` at a time. */
export async function findLedgerPage(
  db: D1Database,
  accountId: string,
  options: { limit: number; before?: number; currency?: Currency },
): Promise<LedgerPage> {
  const rows = await db
    .prepare(
      `SELECT id, account_id, currency, amount, reason, reference, memo, created_at FROM ledger_entries
       WHERE account_id = ?1 AND id < ?2 AND (?3 IS NULL OR currency = ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(accountId, options.before ?? Number.MAX_SAFE_INTEGER, options.currency ?? null, options.limit + 1)
    .all<LedgerEntryRow>();
  const entries = rows.results.slice(0, options.limit);
  return { entries, nextCursor: rows.results.length > options.limit ? entries[entries.length - 1]!.id : null };
}

export interface RenewalDebit {
  accountId: string;
  currency: Currency;
  /** Minor units, > 0: what the plan costs. */
  amount: number;
  /** See `renewalReference`. */
  renewal: Parameters<typeof renewalReference>[0];
  memo: string;
  now: number;
}

/**
 * The debit of a plan renewal, for the batch that extends the plan. With `onlyIf`, the entry is
 * written only while that SELECT finds a row (the account still as the caller saw it).
 */
export function renewalDebitStatement(db: D1Database, debit: RenewalDebit, onlyIf?: SqlSelect): D1PreparedStatement {
  const values = [debit.accountId, debit.currency, -debit.amount, renewalReference(debit.renewal), debit.memo, debit.now];
  const insert = "INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, memo, created_at)";
  if (!onlyIf) return db.prepare(`${insert} VALUES (?, ?, ?, 'plan', ?, ?, ?)`).bind(...values);
  return db.prepare(`${insert} SELECT ?, ?, ?, 'plan', ?, ?, ? WHERE EXISTS (${onlyIf.sql})`).bind(...values, ...onlyIf.params);
}

/** The write failed because a wallet would go below zero or below what it holds. */
export function isFundsViolation(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return /CHECK constraint failed: wallet_(balance_not_negative|held_within_balance)/.test(message);
}

/** The write failed because its ledger reference was already used: that money already moved. */
export const isDuplicateReference = (e: unknown) => uniqueViolation(e) === "ledger_entries.reference";
