import { AppError, fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, timingSafeEqualText, toHex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import {
  findAccount,
  findAccountKeyHash,
  insertAccount,
  replaceAccountKeyStatement,
  updateAccountFields,
  type AccountRow,
} from "../../stores/accounts";
import { forgetCachedTokens, revokeAccountTokensStatement } from "../../stores/tokens";
import { deleteAccountSessions } from "../../stores/sessions";
import { forgetAccountSessions, sessionAccount } from "../credentials/tokens";
import { accountWebhookStatements, type AccountWebhook } from "../client-webhooks/endpoints";
import { TRIAL_PERIOD_MS, TRIAL_PLAN } from "../plans/plans";
import { rateLimit } from "../limits/rate-limits";

export type { AccountRow } from "../../stores/accounts";

export interface AccountInfo {
  name: string;
  description?: string | null;
  logoUrl?: string | null;
  /** Where the account's own events go (accounts.webhook_url), with its endpoint kept in step. */
  webhook?: AccountWebhook;
}

/** Shown in place of a secret: its first characters only. */
const KEY_PREFIX_LENGTH = 7;

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

/**
 * `alongside`: what else the account is created with, written in the same batch (all of it or
 * nothing), given the account's id.
 */
export async function createAccount(
  ctx: CoreContext,
  info: AccountInfo,
  alongside: (accountId: string) => D1PreparedStatement[] = () => [],
): Promise<Result<{ account: AccountRow; keyUser: string }>> {
  const keyUser = newKeyUser();
  const keyHash = await sha256Hex(keyUser);
  const now = ctx.clock.now();
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newAccountId();
    const written = [...(info.webhook ? accountWebhookStatements(ctx, id, info.webhook) : []), ...alongside(id)];
    const inserted = await insertAccount(ctx.db, {
      id,
      name: info.name.trim(),
      description: info.description ?? null,
      logoUrl: info.logoUrl ?? null,
      webhookUrl: info.webhook?.url ?? null,
      keyHash,
      keyPrefix: keyUser.slice(0, KEY_PREFIX_LENGTH),
      plan: TRIAL_PLAN,
      planExpiresAt: now + TRIAL_PERIOD_MS,
      now,
    }, written);
    if (inserted === "name_taken") return nameTaken(info.name);
    if (inserted !== "id_taken") return ok({ account: inserted, keyUser });
  }
  throw new Error("could not allocate an account id after 5 attempts");
}

/** The account as stored in D1: what decisions read. */
export async function getAccount(ctx: CoreContext, accountId: string): Promise<Result<AccountRow>> {
  const row = await findAccount(ctx.db, accountId);
  return row ? ok(row) : fail("not_found", "Account not found");
}

/**
 * The account for display: the snapshot that came with the request's token when there is one
 * (see tokens.ts), else D1. Never for decisions about money or paid actions.
 */
export async function viewAccount(ctx: CoreContext, accountId: string): Promise<Result<AccountRow>> {
  const row = sessionAccount(ctx, accountId) ?? (await findAccount(ctx.db, accountId));
  return row ? ok(row) : fail("not_found", "Account not found");
}

/** Partial update of the descriptive fields; the name stays unique. */
export async function updateAccountInfo(
  ctx: CoreContext,
  accountId: string,
  changes: Partial<AccountInfo>,
): Promise<Result<AccountRow>> {
  const { name, description, logoUrl, webhook } = changes;
  if ([name, description, logoUrl, webhook].every((v) => v === undefined)) return getAccount(ctx, accountId);
  const endpoint = webhook ? accountWebhookStatements(ctx, accountId, webhook) : [];
  const fields = { name: name?.trim(), description, logoUrl, webhookUrl: webhook?.url };
  const row = await updateAccountFields(ctx.db, accountId, fields, ctx.clock.now(), endpoint);
  if (row === "name_taken") return nameTaken(name ?? "");
  await forgetAccountSessions(ctx, accountId);
  return row ? ok(row) : fail("not_found", "Account not found");
}

/** A hash that matches no key: compared against when the id is unknown, so both cases take the same time. */
const NO_KEY_HASH = "0".repeat(64);

/**
 * Checks an `id_user`/`key_user` pair. An unknown id and a wrong key give the same answer after
 * the same work, so the endpoint does not reveal which accounts exist.
 */
export async function verifyAccountKey(ctx: CoreContext, accountId: string, keyUser: string): Promise<Result<string>> {
  const admitted = await rateLimit(ctx, "signin", accountId.slice(0, 100));
  if (!admitted.ok) return admitted;
  const keyHash = await findAccountKeyHash(ctx.db, accountId);
  const presented = await sha256Hex(keyUser);
  const matches = timingSafeEqualText(presented, keyHash ?? NO_KEY_HASH);
  return keyHash !== null && matches ? ok(accountId) : fail("unauthorized", "Unknown id_user or key_user");
}

function nameTaken(name: string): Result<never> {
  return { ok: false, error: new AppError("name_taken", `An account named "${name.trim()}" already exists`) };
}

/**
 * Issues a new key_user and revokes every token of the account in one D1 batch, then drops the
 * revoked tokens from the KV cache and ends the account's console sessions. Returns the new key, shown once.
 */
export async function rotateAccountKey(ctx: CoreContext, accountId: string): Promise<Result<string>> {
  const keyUser = newKeyUser();
  const now = ctx.clock.now();
  const key = { hash: await sha256Hex(keyUser), prefix: keyUser.slice(0, KEY_PREFIX_LENGTH), now };
  const [updated, revoked] = await ctx.db.batch<{ hash: string }>([
    replaceAccountKeyStatement(ctx.db, accountId, key),
    revokeAccountTokensStatement(ctx.db, accountId, now),
  ]);
  if (!updated!.meta.changes) return fail("not_found", "Account not found");
  await forgetCachedTokens(ctx.kv, revoked!.results.map((r) => r.hash));
  await deleteAccountSessions(ctx.kv, accountId);
  return ok(keyUser);
}
