import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, toBase64Url } from "../../lib/crypto";
import { accountStatement, type AccountRow } from "../../stores/accounts";
import {
  cacheToken,
  deleteTokensExpiredBefore,
  findLiveTokenHashes,
  findToken,
  forgetCachedTokens,
  insertTokenStatement,
  readCachedToken,
} from "../../stores/tokens";
import type { CoreContext } from "../../config/context";
import { refillThenConfirm } from "./refill";

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

const snapshotKey = (accountId: string) => `account:${accountId}`;

export async function issueToken(ctx: CoreContext, accountId: string): Promise<IssuedToken> {
  const token = `tk_${toBase64Url(randomBytes(32))}`;
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const expiresIn = ctx.config.TOKEN_TTL_SECONDS;
  const expiresAt = now + expiresIn * 1000;
  const [, account] = await ctx.db.batch<AccountRow>([
    insertTokenStatement(ctx.db, { hash, accountId, now, expiresAt }),
    accountStatement(ctx.db, accountId),
  ]);
  await cacheToken(ctx.kv, hash, { a: accountId, e: expiresAt, acct: account!.results[0]! }, ctx.clock.now());
  return { token, expiresAt, expiresIn };
}

/** The account a bearer token belongs to; `unauthorized` or `token_expired` otherwise. */
export async function resolveToken(ctx: CoreContext, token: string): Promise<Result<string>> {
  const hash = await sha256Hex(token);
  const now = ctx.clock.now();
  const cached = await readCachedToken(ctx.kv, hash);
  if (cached) {
    // KV may keep an entry a little past its TTL; the stored expiry is what decides.
    if (cached.e <= now) return fail("token_expired", "The token has expired");
    ctx.memo.set(snapshotKey(cached.a), cached.acct);
    return ok(cached.a);
  }
  const stored = await findToken(ctx.db, hash);
  if (!stored || stored.revokedAt !== null) return fail("unauthorized", "Unknown or revoked token");
  if (stored.expiresAt <= now) return fail("token_expired", "The token has expired");
  const { account, expiresAt } = stored;
  ctx.memo.set(snapshotKey(account.id), account);
  const live = async () => {
    const now = await findToken(ctx.db, hash);
    return now !== null && now.revokedAt === null && now.account.suspended_at === account.suspended_at;
  };
  const refill = () => cacheToken(ctx.kv, hash, { a: account.id, e: expiresAt, acct: account }, ctx.clock.now());
  ctx.defer(refillThenConfirm(refill, live, () => forgetCachedTokens(ctx.kv, [hash])));
  return ok(account.id);
}

/** The account snapshot that came with this request's token, if the request had one. */
export function sessionAccount(ctx: CoreContext, accountId: string): AccountRow | undefined {
  return ctx.memo.get(snapshotKey(accountId)) as AccountRow | undefined;
}

/** After any change to an account: drop the cached entries (and snapshots) of its live tokens. */
export async function forgetAccountSessions(ctx: CoreContext, accountId: string): Promise<void> {
  const live = await findLiveTokenHashes(ctx.db, accountId, ctx.clock.now());
  ctx.memo.delete(snapshotKey(accountId));
  await forgetCachedTokens(ctx.kv, live);
}

/** Deletes tokens that expired more than a day ago, a bounded number at a time (cron). */
export async function purgeExpiredTokens(ctx: CoreContext, limit = 500): Promise<number> {
  return deleteTokensExpiredBefore(ctx.db, ctx.clock.now() - 24 * 3600 * 1000, limit);
}
