import { kvKeys } from "./kv";

/**
 * Number API keys: their SHA-256 in D1 (`deployments.api_key_hash`, UNIQUE), and a KV copy of
 * `hash → the READY number the key opens`.
 */

interface NumberKeyRow {
  id: string;
  account_id: string;
  phone_number_id: string | null;
  /** The Deployment object's state, as mirrored. */
  state: string;
  api_key_hash: string;
}

/** The live (not DELETED) number whose key has this hash. */
export function findNumberByKeyHash(db: D1Database, hash: string): Promise<NumberKeyRow | null> {
  return db
    .prepare("SELECT id, account_id, phone_number_id, state, api_key_hash FROM deployments WHERE api_key_hash = ? AND state != 'DELETED'")
    .bind(hash)
    .first<NumberKeyRow>();
}

/** The key hash of one of the account's live numbers. */
export function findNumberKey(db: D1Database, accountId: string, phoneNumberId: string): Promise<{ id: string; api_key_hash: string } | null> {
  return db
    .prepare("SELECT id, api_key_hash FROM deployments WHERE phone_number_id = ? AND account_id = ? AND state != 'DELETED'")
    .bind(phoneNumberId, accountId)
    .first<{ id: string; api_key_hash: string }>();
}

/** Replaces a live number's key if it still has `oldHash`; false when it changed or the number was deleted meanwhile. */
export async function replaceNumberKey(
  db: D1Database,
  key: { deploymentId: string; oldHash: string; hash: string; prefix: string; now: number },
): Promise<boolean> {
  const updated = await db
    .prepare("UPDATE deployments SET api_key_hash = ?, api_key_prefix = ?, updated_at = ? WHERE id = ? AND api_key_hash = ? AND state != 'DELETED' RETURNING id")
    .bind(key.hash, key.prefix, key.now, key.deploymentId, key.oldHash)
    .first();
  return updated !== null;
}

/** The KV copy of a READY number's key. */
export interface CachedNumberKey {
  a: string; // account id
  d: string; // deployment id
  p: string; // phone_number_id
  h: string; // sha256 of the key, compared in constant time
}

export const readCachedNumberKey = (kv: KVNamespace, hash: string) => kv.get<CachedNumberKey>(kvKeys.numberKey(hash), "json");

export const cacheNumberKey = (kv: KVNamespace, entry: CachedNumberKey, ttlSeconds: number) =>
  kv.put(kvKeys.numberKey(entry.h), JSON.stringify(entry), { expirationTtl: ttlSeconds });

/** Drops the KV copy of a number API key (rotation, or the number left READY). */
export const forgetNumberKey = (kv: KVNamespace, hash: string) => kv.delete(kvKeys.numberKey(hash));
