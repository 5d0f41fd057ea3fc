import { kvKeys } from "./kv";

/**
 * EngageLab dev keys: `dev_key` with the SHA-256 of its secret in D1, and a KV copy of
 * `dev_key → {account, secret hash}` for live keys.
 */

interface DevKeyRow {
  dev_key: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** The insert as a statement: run alone, or batched with the account it is created with. */
export const insertDevKey = (db: D1Database, key: { devKey: string; accountId: string; secretHash: string; label: string | null; now: number }) =>
  db.prepare("INSERT INTO dev_keys (dev_key, account_id, secret_hash, label, created_at) VALUES (?, ?, ?, ?, ?)").bind(key.devKey, key.accountId, key.secretHash, key.label, key.now);

/** The account's keys, revoked ones included, oldest first. */
export async function listDevKeyRows(db: D1Database, accountId: string): Promise<DevKeyRow[]> {
  const rows = await db
    .prepare("SELECT dev_key, label, created_at, revoked_at FROM dev_keys WHERE account_id = ? ORDER BY created_at, dev_key")
    .bind(accountId)
    .all<DevKeyRow>();
  return rows.results;
}

/** Marks one of the account's keys revoked (keeping the first revocation time); false when the account has no such key. */
export async function markDevKeyRevoked(db: D1Database, accountId: string, devKey: string, now: number): Promise<boolean> {
  const row = await db
    .prepare("UPDATE dev_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE dev_key = ? AND account_id = ? RETURNING dev_key")
    .bind(now, devKey, accountId)
    .first();
  return row !== null;
}

export function findDevKey(db: D1Database, devKey: string): Promise<{ account_id: string; secret_hash: string; revoked_at: number | null } | null> {
  return db
    .prepare("SELECT account_id, secret_hash, revoked_at FROM dev_keys WHERE dev_key = ?")
    .bind(devKey)
    .first<{ account_id: string; secret_hash: string; revoked_at: number | null }>();
}

/** The KV copy of a live key. */
interface CachedDevKey {
  a: string; // account id
  h: string; // sha256(dev_secret)
}

export const readCachedDevKey = (kv: KVNamespace, devKey: string) => kv.get<CachedDevKey>(kvKeys.devKey(devKey), "json");

export const cacheDevKey = (kv: KVNamespace, devKey: string, entry: CachedDevKey, ttlSeconds: number) =>
  kv.put(kvKeys.devKey(devKey), JSON.stringify(entry), { expirationTtl: ttlSeconds });

export const forgetDevKey = (kv: KVNamespace, devKey: string) => kv.delete(kvKeys.devKey(devKey));
