import type { SqlSelect } from "./select";
import { uniqueViolation } from "./unique-violation";

/**
 * Accounts in D1: who they are, the hash of their `key_user`, and their plan. Names are unique
 * without regard to case or surrounding spaces (`name_key`).
 */

/** An account as stored in D1 (secrets excluded). */
export interface AccountRow {
  id: string;
  name: string;
  description: string | null;
  logo_url: string | null;
  webhook_url: string | null;
  key_prefix: string;
  plan: string;
  plan_expires_at: number;
  auto_pay: number;
  /** Set while the operator has suspended the account (ms); null otherwise. */
  suspended_at: number | null;
  created_at: number;
  updated_at: number;
}

const ACCOUNT_COLUMNS = "id, name, description, logo_url, webhook_url, key_prefix, plan, plan_expires_at, auto_pay, suspended_at, created_at, updated_at";

/** The same columns, qualified by a table alias (for joins). */
export const accountColumnsOf = (alias: string) =>
  ACCOUNT_COLUMNS.split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ");

const nameKey = (name: string) => name.trim().toLowerCase();

interface NewAccount {
  id: string;
  name: string;
  description: string | null;
  logoUrl: string | null;
  webhookUrl: string | null;
  keyHash: string;
  keyPrefix: string;
  plan: string;
  planExpiresAt: number;
  now: number;
}

/**
 * Inserts an account, with `alongside` in the same batch (e.g. its webhook endpoint); `name_taken`
 * when another account has the name, `id_taken` when the id is in use (the caller draws another).
 */
export async function insertAccount(db: D1Database, a: NewAccount, alongside: D1PreparedStatement[] = []): Promise<AccountRow | "name_taken" | "id_taken"> {
  const insert = db
    .prepare(
      `INSERT INTO accounts (id, name, name_key, description, logo_url, webhook_url, key_hash, key_prefix,
         plan, plan_expires_at, auto_pay, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING ${ACCOUNT_COLUMNS}`,
    )
    .bind(a.id, a.name, nameKey(a.name), a.description, a.logoUrl, a.webhookUrl, a.keyHash, a.keyPrefix, a.plan, a.planExpiresAt, a.now, a.now);
  try {
    const [inserted] = await db.batch<AccountRow>([insert, ...alongside]);
    return inserted!.results[0]!;
  } catch (e) {
    const conflict = uniqueViolation(e);
    if (conflict === "accounts.name_key") return "name_taken";
    if (conflict === "accounts.id") return "id_taken";
    throw e;
  }
}

/** Reads one account; as a statement, to batch with the write it follows. */
export const accountStatement = (db: D1Database, accountId: string) =>
  db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`).bind(accountId);

export const findAccount = (db: D1Database, accountId: string) => accountStatement(db, accountId).first<AccountRow>();

interface AccountInfoChanges {
  name?: string;
  description?: string | null;
  logoUrl?: string | null;
  webhookUrl?: string | null;
}

/**
 * Writes the given descriptive fields (at least one), with `alongside` in the same batch; null when
 * there is no such account, `name_taken` when another has the name.
 */
export async function updateAccountFields(
  db: D1Database,
  accountId: string,
  changes: AccountInfoChanges,
  now: number,
  alongside: D1PreparedStatement[] = [],
): Promise<AccountRow | null | "name_taken"> {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (changes.name !== undefined) {
    set("name", changes.name);
    set("name_key", nameKey(changes.name));
  }
  if (changes.description !== undefined) set("description", changes.description);
  if (changes.logoUrl !== undefined) set("logo_url", changes.logoUrl);
  if (changes.webhookUrl !== undefined) set("webhook_url", changes.webhookUrl);
  set("updated_at", now);
  try {
    const update = db.prepare(`UPDATE accounts SET ${sets.join(", ")} WHERE id = ? RETURNING ${ACCOUNT_COLUMNS}`).bind(...values, accountId);
    const [updated] = await db.batch<AccountRow>([update, ...alongside]);
    return updated!.results[0] ?? null;
  } catch (e) {
    if (uniqueViolation(e) === "accounts.name_key") return "name_taken";
    throw e;
  }
}

/** The SHA-256 of the account's key_user, or null when there is no such account. */
export async function findAccountKeyHash(db: D1Database, accountId: string): Promise<string | null> {
  const row = await db.prepare("SELECT key_hash FROM accounts WHERE id = ?").bind(accountId).first<{ key_hash: string }>();
  return row?.key_hash ?? null;
}

/** Replaces the key_user's hash; a statement, batched with the revocation of the account's tokens. */
export const replaceAccountKeyStatement = (db: D1Database, accountId: string, key: { hash: string; prefix: string; now: number }) =>
  db.prepare("UPDATE accounts SET key_hash = ?, key_prefix = ?, updated_at = ? WHERE id = ?").bind(key.hash, key.prefix, key.now, accountId);

// ---- suspension ----

/**
 * Suspends (`at` a time) or reinstates (`at` null) the account, only when it is not already so;
 * returns the account when it changed. A statement, batched with its audit entry.
 */
export const setSuspendedStatement = (db: D1Database, accountId: string, at: number | null, now: number) =>
  db
    .prepare(`UPDATE accounts SET suspended_at = ?1, updated_at = ?2 WHERE id = ?3 AND (suspended_at IS NULL) = (?1 IS NOT NULL) RETURNING ${ACCOUNT_COLUMNS}`)
    .bind(at, now, accountId);

/**
 * Finds the account when the statement just before, `setSuspendedStatement`, changed it to `at`:
 * guards the audit entry batched after it (`changes()` counts that previous statement's rows).
 */
export const suspensionChanged = (accountId: string, at: number | null): SqlSelect => ({
  sql: "SELECT 1 FROM accounts WHERE id = ? AND suspended_at IS ? AND changes() > 0",
  params: [accountId, at],
});

/** Whether the account is suspended; null when there is no such account. */
export async function findSuspension(db: D1Database, accountId: string): Promise<boolean | null> {
  const row = await db.prepare("SELECT suspended_at FROM accounts WHERE id = ?").bind(accountId).first<{ suspended_at: number | null }>();
  return row ? row.suspended_at !== null : null;
}

// ---- plans ----

/**
 * Sets the plan and extends its expiry by `periodMs`, from the current expiry or from `now`,
 * whichever is later; `autoPay` null leaves the setting as it is. Returns the account; a
 * statement, batched with the plan's debit.
 */
export const renewPlanStatement = (
  db: D1Database,
  accountId: string,
  renewal: { plan: string; periodMs: number; autoPay: boolean | null; now: number },
) =>
  db
    .prepare(
      `UPDATE accounts SET plan = ?, plan_expires_at = MAX(plan_expires_at, ?) + ?, auto_pay = COALESCE(?, auto_pay), updated_at = ?
       WHERE id = ? RETURNING ${ACCOUNT_COLUMNS}`,
    )
    .bind(renewal.plan, renewal.now, renewal.periodMs, renewal.autoPay === null ? null : Number(renewal.autoPay), renewal.now, accountId);

/** An `auto_pay` plan that reached its expiry, with the expiry that guards its renewal. */
export interface DuePlan {
  id: string;
  plan: string;
  plan_expires_at: number;
}

/** The `auto_pay` plans expired at `now`, the longest expired first. */
export async function findDuePlans(db: D1Database, now: number, limit: number): Promise<DuePlan[]> {
  const due = await db
    .prepare("SELECT id, plan, plan_expires_at FROM accounts WHERE auto_pay = 1 AND plan_expires_at <= ? ORDER BY plan_expires_at LIMIT ?")
    .bind(now, limit)
    .all<DuePlan>();
  return due.results;
}

/** Switches `auto_pay` off, unless the plan was renewed or changed since `due` was read. */
export async function lapseAutoPay(db: D1Database, due: DuePlan, now: number): Promise<void> {
  await db
    .prepare("UPDATE accounts SET auto_pay = 0, updated_at = ? WHERE id = ? AND plan_expires_at = ? AND auto_pay = 1")
    .bind(now, due.id, due.plan_expires_at)
    .run();
}

/** Finds the account only while its plan is still as `due` saw it: guards the renewal's debit in the money store. */
export const duePlanUnchanged = (due: DuePlan): SqlSelect => ({
  sql: "SELECT 1 FROM accounts WHERE id = ? AND plan_expires_at = ? AND auto_pay = 1",
  params: [due.id, due.plan_expires_at],
});

/**
 * Extends a due plan by `periodMs`, unless it was renewed or changed since `due` was read (no
 * change then); a statement, batched with the plan's debit.
 */
export const extendDuePlanStatement = (db: D1Database, due: DuePlan, periodMs: number, now: number) =>
  db
    .prepare("UPDATE accounts SET plan_expires_at = MAX(plan_expires_at, ?) + ?, updated_at = ? WHERE id = ? AND plan_expires_at = ? AND auto_pay = 1")
    .bind(now, periodMs, now, due.id, due.plan_expires_at);
