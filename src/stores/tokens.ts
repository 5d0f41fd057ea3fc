import { accountColumnsOf, type AccountRow } from "./accounts";
import { cacheUntil, kvKeys } from "./kv";

/**
 * Bearer tokens: `sha256(token)` with its expiry in D1, the source of truth, and a KV copy of
 * `hash → {account id, expiry, account snapshot}` that never outlives the token.
 */

/** Records a new token; a statement, batched with the read of its account. */
export const insertTokenStatement = (db: D1Database, token: { hash: string; accountId: string; now: number; expiresAt: number }) =>
  db.prepare("INSERT INTO tokens (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(token.hash, token.accountId, token.now, token.expiresAt);

interface StoredToken {
  expiresAt: number;
  revokedAt: number | null;
  account: AccountRow;
}

/** A token by its hash, with its account, in one query. */
export async function findToken(db: D1Database, hash: string): Promise<StoredToken | null> {
  const row = await db
    .prepare(
      `SELECT t.expires_at AS token_expires_at, t.revoked_at AS token_revoked_at, ${accountColumnsOf("a")}
       FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?`,
    )
    .bind(hash)
    .first<AccountRow & { token_expires_at: number; token_revoked_at: number | null }>();
  if (!row) return null;
  const { token_expires_at: expiresAt, token_revoked_at: revokedAt, ...account } = row;
  return { expiresAt, revokedAt, account };
}

/** The hashes of the account's tokens that are neither revoked nor expired at `now`. */
export async function findLiveTokenHashes(db: D1Database, accountId: string, now: number): Promise<string[]> {
  const live = await db
    .prepare("SELECT hash FROM tokens WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?")
    .bind(accountId, now)
    .all<{ hash: string }>();
  return live.results.map((r) => r.hash);
}

/** Revokes every live token of an account, returning their `hash`es; a statement, batched with the change that motivates it. */
export const revokeAccountTokensStatement = (db: D1Database, accountId: string, now: number) =>
  db.prepare("UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ? RETURNING hash").bind(now, accountId, now);

/** Deletes up to `limit` tokens that expired before `cutoff`; returns how many. */
export async function deleteTokensExpiredBefore(db: D1Database, cutoff: number, limit: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM tokens WHERE hash IN (SELECT hash FROM tokens WHERE expires_at < ? LIMIT ?)")
    .bind(cutoff, limit)
    .run();
  return result.meta.changes ?? 0;
}

/** The KV copy of a token. */
interface CachedToken {
  a: string; // account id
  e: number; // expiry, ms
  acct: AccountRow;
}

export const readCachedToken = (kv: KVNamespace, hash: string) => kv.get<CachedToken>(kvKeys.token(hash), "json");

/** Caches a token until its expiry, never longer. */
export const cacheToken = (kv: KVNamespace, hash: string, entry: CachedToken, now: number) => cacheUntil(kv, kvKeys.token(hash), entry, entry.e, now);

export async function forgetCachedTokens(kv: KVNamespace, hashes: string[]): Promise<void> {
  await Promise.all(hashes.map((hash) => kv.delete(kvKeys.token(hash))));
}
