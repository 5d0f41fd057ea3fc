import { fail, ok, type Result } from "../lib/errors";
import { randomBytes, sha256Hex, toBase64Url } from "../lib/crypto";
import type { CoreContext } from "./context";

/**
 * Bearer tokens. D1 holds `sha256(token)` with its expiry and is the source of truth; KV caches
 * `hash → {account, expiry}` with an `expirationTtl` that never reaches past the token's expiry,
 * so an authenticated request costs one KV read and no D1 query.
 */

export interface IssuedToken {
  token: string;
  expiresAt: number;
  expiresIn: number; // seconds
}

interface CachedToken {
  a: string; // account id
  e: number; // expiry, ms
}

/** KV refuses TTLs under 60 s: a token that close to its expiry is simply not cached. */
const KV_MIN_TTL_SECONDS = 60;

const cacheKey = (hash: string) => `tok:${hash}`;

export async function issueToken(ctx: CoreContext, accountId: string): Promise<IssuedToken> {
  const token = `tk_${toBase64Url(randomBytes(32))}`;
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const expiresIn = ctx.config.TOKEN_TTL_SECONDS;
  const expiresAt = now + expiresIn * 1000;
  await ctx.db
    .prepare("INSERT INTO tokens (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
    .bind(hash, accountId, now, expiresAt)
    .run();
  await cacheToken(ctx, hash, { a: accountId, e: expiresAt });
  return { token, expiresAt, expiresIn };
}

/** The account a bearer token belongs to; `unauthorized` or `token_expired` otherwise. */
export async function resolveToken(ctx: CoreContext, token: string): Promise<Result<string>> {
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const cached = await ctx.kv.get<CachedToken>(cacheKey(hash), "json");
  if (cached) {
    // KV may keep an entry a little past its TTL; the stored expiry is what decides.
    return cached.e > now ? ok(cached.a) : fail("token_expired", "The token has expired");
  }
  const row = await ctx.db
    .prepare("SELECT account_id, expires_at, revoked_at FROM tokens WHERE hash = ?")
    .bind(hash)
    .first<{ account_id: string; expires_at: number; revoked_at: number | null }>();
  if (!row || row.revoked_at !== null) return fail("unauthorized", "Unknown or revoked token");
  if (row.expires_at <= now) return fail("token_expired", "The token has expired");
  ctx.defer(cacheToken(ctx, hash, { a: row.account_id, e: row.expires_at }));
  return ok(row.account_id);
}

async function cacheToken(ctx: CoreContext, hash: string, entry: CachedToken): Promise<void> {
  const ttl = Math.floor((entry.e - ctx.clock.now()) / 1000);
  if (ttl < KV_MIN_TTL_SECONDS) return;
  await ctx.kv.put(cacheKey(hash), JSON.stringify(entry), { expirationTtl: ttl });
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
