import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, toBase64Url } from "../../lib/crypto";
import { cacheUntil, kvKeys } from "../../stores/kv";
import { accountColumnsOf, ACCOUNT_COLUMNS, type AccountRow } from "../accounts/account-row";
import type { CoreContext } from "../../config/context";

/**
 * Bearer tokens. D1 holds `sha256(token)` with its expiry and is the source of truth. KV caches
 * `hash → {account id, expiry, account snapshot}` with an `expirationTtl` that never reaches past
 * the token's expiry, so an authenticated request costs one KV read and no D1 query, and a view of
 * the account needs nothing more. Any change to an account drops the cached entries of its live
 * tokens (`forgetAccountSessions`); the next request refills them from D1 in one query.
 */

export interface IssuedToken {
  token: string;
  expiresAt: number;
  expiresIn: number; // seconds
}

interface CachedToken {
  a: string; // account id
  e: number; // expiry, ms
  acct: AccountRow;
}

const cacheKey = kvKeys.token;
const snapshotKey = (accountId: string) => `account:${accountId}`;

export async function issueToken(ctx: CoreContext, accountId: string): Promise<IssuedToken> {
  const token = `tk_${toBase64Url(randomBytes(32))}`;
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const expiresIn = ctx.config.TOKEN_TTL_SECONDS;
  const expiresAt = now + expiresIn * 1000;
  const [, account] = await ctx.db.batch<AccountRow>([
    ctx.db.prepare("INSERT INTO tokens (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(hash, accountId, now, expiresAt),
    ctx.db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`).bind(accountId),
  ]);
  await cacheToken(ctx, hash, { a: accountId, e: expiresAt, acct: account!.results[0]! });
  return { token, expiresAt, expiresIn };
}

/** The account a bearer token belongs to; `unauthorized` or `token_expired` otherwise. */
export async function resolveToken(ctx: CoreContext, token: string): Promise<Result<string>> {
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const cached = await ctx.kv.get<CachedToken>(cacheKey(hash), "json");
  if (cached) {
    // KV may keep an entry a little past its TTL; the stored expiry is what decides.
    if (cached.e <= now) return fail("token_expired", "The token has expired");
    ctx.memo.set(snapshotKey(cached.a), cached.acct);
    return ok(cached.a);
  }
  const row = await ctx.db
    .prepare(
      `SELECT t.expires_at AS token_expires_at, t.revoked_at AS token_revoked_at, ${accountColumnsOf("a")}
       FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?`,
    )
    .bind(hash)
    .first<AccountRow & { token_expires_at: number; token_revoked_at: number | null }>();
  if (!row || row.token_revoked_at !== null) return fail("unauthorized", "Unknown or revoked token");
  if (row.token_expires_at <= now) return fail("token_expired", "The token has expired");
  const { token_expires_at: expiresAt, token_revoked_at: _revoked, ...account } = row;
  ctx.memo.set(snapshotKey(account.id), account);
  ctx.defer(cacheToken(ctx, hash, { a: account.id, e: expiresAt, acct: account }));
  return ok(account.id);
}

/** The account snapshot that came with this request's token, if the request had one. */
export function sessionAccount(ctx: CoreContext, accountId: string): AccountRow | undefined {
  return ctx.memo.get(snapshotKey(accountId)) as AccountRow | undefined;
}

function cacheToken(ctx: CoreContext, hash: string, entry: CachedToken): Promise<void> {
  return cacheUntil(ctx.kv, cacheKey(hash), entry, entry.e, ctx.clock.now());
}

/** After any change to an account: drop the cached entries (and snapshots) of its live tokens. */
export async function forgetAccountSessions(ctx: CoreContext, accountId: string): Promise<void> {
  const live = await ctx.db
    .prepare("SELECT hash FROM tokens WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?")
    .bind(accountId, ctx.clock.now())
    .all<{ hash: string }>();
  ctx.memo.delete(snapshotKey(accountId));
  await forgetCachedTokens(ctx, live.results.map((r) => r.hash));
}

/**
 * Statement that revokes every live token of an account; run it in the same batch as the change
 * that motivates it, then call `forgetCachedTokens` with the hashes it returned.
 */
export function revokeAccountTokensStatement(ctx: CoreContext, accountId: string): D1PreparedStatement {
  return ctx.db
    .prepare("UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ? RETURNING hash")
    .bind(ctx.clock.now(), accountId, ctx.clock.now());
}

export async function forgetCachedTokens(ctx: CoreContext, hashes: string[]): Promise<void> {
  await Promise.all(hashes.map((hash) => ctx.kv.delete(cacheKey(hash))));
}

/** Deletes tokens that expired more than a day ago, a bounded number at a time (cron). */
export async function purgeExpiredTokens(ctx: CoreContext, limit = 500): Promise<number> {
  const cutoff = ctx.clock.now() - 24 * 3600 * 1000;
  const result = await ctx.db
    .prepare("DELETE FROM tokens WHERE hash IN (SELECT hash FROM tokens WHERE expires_at < ? LIMIT ?)")
    .bind(cutoff, limit)
    .run();
  return result.meta.changes ?? 0;
}
