/** KV refuses TTLs under 60 s: an entry that close to its expiry is simply not cached. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * Caches `value` under `key` until `expiresAtMs` and never longer, so a cached credential cannot
 * outlive the credential itself.
 */
export async function cacheUntil(kv: KVNamespace, key: string, value: unknown, expiresAtMs: number, nowMs: number): Promise<void> {
  const ttl = Math.floor((expiresAtMs - nowMs) / 1000);
  if (ttl < KV_MIN_TTL_SECONDS) return;
  await kv.put(key, JSON.stringify(value), { expirationTtl: ttl });
}
