import { kvKeys } from "./kv";

/**
 * Cloud API access tokens (`Authorization: Bearer` on /graph): the SHA-256 of each token in D1,
 * named by a public id, and a KV copy of `hash → account` for live tokens.
 */

export interface CloudApiTokenRow {
  id: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

export async function insertCloudApiToken(db: D1Database, token: { id: string; accountId: string; hash: string; label: string | null; now: number }): Promise<void> {
  await db
    .prepare("INSERT INTO cloud_api_tokens (id, account_id, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(token.id, token.accountId, token.hash, token.label, token.now)
    .run();
}

/** The account's tokens, revoked ones included, oldest first. */
export async function listCloudApiTokenRows(db: D1Database, accountId: string): Promise<CloudApiTokenRow[]> {
  const rows = await db
    .prepare("SELECT id, label, created_at, revoked_at FROM cloud_api_tokens WHERE account_id = ? ORDER BY created_at, id")
    .bind(accountId)
    .all<CloudApiTokenRow>();
  return rows.results;
}

/** Marks one of the account's tokens revoked (keeping the first time); its hash, or null when the account has no such token. */
export async function markCloudApiTokenRevoked(db: D1Database, accountId: string, id: string, now: number): Promise<string | null> {
  const row = await db
    .prepare("UPDATE cloud_api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND account_id = ? RETURNING token_hash")
    .bind(now, id, accountId)
    .first<{ token_hash: string }>();
  return row?.token_hash ?? null;
}

export function findCloudApiToken(db: D1Database, hash: string): Promise<{ account_id: string; revoked_at: number | null } | null> {
  return db.prepare("SELECT account_id, revoked_at FROM cloud_api_tokens WHERE token_hash = ?").bind(hash).first<{ account_id: string; revoked_at: number | null }>();
}

export const readCachedCloudApiToken = (kv: KVNamespace, hash: string) => kv.get<{ a: string }>(kvKeys.cloudApiToken(hash), "json");

export const cacheCloudApiToken = (kv: KVNamespace, hash: string, accountId: string, ttlSeconds: number) =>
  kv.put(kvKeys.cloudApiToken(hash), JSON.stringify({ a: accountId }), { expirationTtl: ttlSeconds });

export const forgetCloudApiToken = (kv: KVNamespace, hash: string) => kv.delete(kvKeys.cloudApiToken(hash));
