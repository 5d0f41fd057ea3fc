import { AppError, fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, timingSafeEqualText, toHex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import { ACCOUNT_COLUMNS, type AccountRow } from "./account-row";
import { forgetAccountSessions, forgetCachedTokens, revokeAccountTokensStatement, sessionAccount } from "../credentials/tokens";
import { accountWebhookStatements, type AccountWebhook } from "../client-webhooks/endpoints";

export type { AccountRow } from "./account-row";
import { TRIAL_PERIOD_MS, TRIAL_PLAN } from "../plans/plans";

export interface AccountInfo {
  name: string;
  description?: string | null;
  logoUrl?: string | null;
  /** Where the account's own events go (accounts.webhook_url), with its endpoint kept in step. */
  webhook?: AccountWebhook;
}

/** Shown in place of a secret: its first characters only. */
const KEY_PREFIX_LENGTH = 7;

const nameKey = (name: string) => name.trim().toLowerCase();

/** `1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`: toKABOLA's shape, 128 random bits. */
export function newKeyUser(): string {
  const hex = toHex(randomBytes(16));
  return `1-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random 9-digit numeric id_user; collisions are caught by the primary key and retried. */
function newAccountId(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(100_000_000 + (n! % 900_000_000));
}

export function maskSecret(prefix: string): string {
  return `${prefix}${"*".repeat(8)}`;
}

export async function createAccount(
  ctx: CoreContext,
  info: AccountInfo,
): Promise<Result<{ account: AccountRow; keyUser: string }>> {
  const keyUser = newKeyUser();
  const keyHash = await sha256Hex(keyUser);
  const now = ctx.clock.now();
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newAccountId();
    const insert = ctx.db
      .prepare(
        `INSERT INTO accounts (id, name, name_key, description, logo_url, webhook_url, key_hash, key_prefix,
           plan, plan_expires_at, auto_pay, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING ${ACCOUNT_COLUMNS}`,
      )
      .bind(
        id,
        info.name.trim(),
        nameKey(info.name),
        info.description ?? null,
        info.logoUrl ?? null,
        info.webhook?.url ?? null,
        keyHash,
        keyUser.slice(0, KEY_PREFIX_LENGTH),
        TRIAL_PLAN,
        now + TRIAL_PERIOD_MS,
        now,
        now,
      );
    try {
      const [inserted] = await ctx.db.batch<AccountRow>([insert, ...(info.webhook ? accountWebhookStatements(ctx, id, info.webhook) : [])]);
      return ok({ account: inserted!.results[0]!, keyUser });
    } catch (e) {
      const conflict = uniqueViolation(e);
      if (conflict === "accounts.name_key") return nameTaken(info.name);
      if (conflict !== "accounts.id") throw e;
    }
  }
  throw new Error("could not allocate an account id after 5 attempts");
}

/** The account as stored in D1: what decisions read. */
export async function getAccount(ctx: CoreContext, accountId: string): Promise<Result<AccountRow>> {
  const row = await loadAccount(ctx, accountId);
  return row ? ok(row) : fail("not_found", "Account not found");
}

/**
 * The account for display: the snapshot that came with the request's token when there is one
 * (see tokens.ts), else D1. Never for decisions about money or paid actions.
 */
export async function viewAccount(ctx: CoreContext, accountId: string): Promise<Result<AccountRow>> {
  const row = sessionAccount(ctx, accountId) ?? (await loadAccount(ctx, accountId));
  return row ? ok(row) : fail("not_found", "Account not found");
}

function loadAccount(ctx: CoreContext, accountId: string): Promise<AccountRow | null> {
  return ctx.db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`).bind(accountId).first<AccountRow>();
}

/** Partial update of the descriptive fields; the name stays unique. */
export async function updateAccountInfo(
  ctx: CoreContext,
  accountId: string,
  changes: Partial<AccountInfo>,
): Promise<Result<AccountRow>> {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (changes.name !== undefined) {
    set("name", changes.name.trim());
    set("name_key", nameKey(changes.name));
  }
  if (changes.description !== undefined) set("description", changes.description);
  if (changes.logoUrl !== undefined) set("logo_url", changes.logoUrl);
  if (changes.webhook !== undefined) set("webhook_url", changes.webhook.url);
  if (sets.length === 0) return getAccount(ctx, accountId);
  set("updated_at", ctx.clock.now());
  try {
    const update = ctx.db.prepare(`UPDATE accounts SET ${sets.join(", ")} WHERE id = ? RETURNING ${ACCOUNT_COLUMNS}`).bind(...values, accountId);
    const [updated] = await ctx.db.batch<AccountRow>([update, ...(changes.webhook ? accountWebhookStatements(ctx, accountId, changes.webhook) : [])]);
    const row = updated!.results[0];
    await forgetAccountSessions(ctx, accountId);
    return row ? ok(row) : fail("not_found", "Account not found");
  } catch (e) {
    if (uniqueViolation(e) === "accounts.name_key") return nameTaken(changes.name ?? "");
    throw e;
  }
}

/** A hash that matches no key: compared against when the id is unknown, so both cases take the same time. */
const NO_KEY_HASH = "0".repeat(64);

/**
 * Checks an `id_user`/`key_user` pair. An unknown id and a wrong key give the same answer after
 * the same work, so the endpoint does not reveal which accounts exist.
 */
export async function verifyAccountKey(ctx: CoreContext, accountId: string, keyUser: string): Promise<Result<string>> {
  const row = await ctx.db.prepare("SELECT key_hash FROM accounts WHERE id = ?").bind(accountId).first<{ key_hash: string }>();
  const presented = await sha256Hex(keyUser);
  const matches = timingSafeEqualText(presented, row?.key_hash ?? NO_KEY_HASH);
  return row && matches ? ok(accountId) : fail("unauthorized", "Unknown id_user or key_user");
}

/** Replaces key_user; the caller revokes the account's tokens in the same step (see tokens.ts). */
async function replaceAccountKeyStatement(
  ctx: CoreContext,
  accountId: string,
): Promise<{ keyUser: string; statement: D1PreparedStatement }> {
  const keyUser = newKeyUser();
  const statement = ctx.db
    .prepare("UPDATE accounts SET key_hash = ?, key_prefix = ?, updated_at = ? WHERE id = ?")
    .bind(await sha256Hex(keyUser), keyUser.slice(0, KEY_PREFIX_LENGTH), ctx.clock.now(), accountId);
  return { keyUser, statement };
}

function nameTaken(name: string): Result<never> {
  return { ok: false, error: new AppError("name_taken", `An account named "${name.trim()}" already exists`) };
}

/** `table.column` of a violated UNIQUE/PRIMARY KEY constraint, or null for any other error. */
export function uniqueViolation(e: unknown): string | null {
  const message = e instanceof Error ? e.message : String(e);
  const match = /UNIQUE constraint failed: ([\w.]+)/.exec(message);
  return match ? match[1]! : null;
}

/**
 * Issues a new key_user and revokes every token of the account in one D1 batch, then drops the
 * revoked tokens from the KV cache. Returns the new key, shown once.
 */
export async function rotateAccountKey(ctx: CoreContext, accountId: string): Promise<Result<string>> {
  const { keyUser, statement } = await replaceAccountKeyStatement(ctx, accountId);
  const [updated, revoked] = await ctx.db.batch<{ hash: string }>([statement, revokeAccountTokensStatement(ctx, accountId)]);
  if (!updated!.meta.changes) return fail("not_found", "Account not found");
  await forgetCachedTokens(ctx, revoked!.results.map((r) => r.hash));
  return ok(keyUser);
}
