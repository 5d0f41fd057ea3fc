/**
 * KV is a cache, never a source of truth: every key it holds is built here, so the whole key space
 * reads in one place.
 */
export const kvKeys = {
  /** A live bearer token, by the SHA-256 of the token. */
  token: (tokenHash: string) => `tok:${tokenHash}`,
  /** A verified Vonage JWT, by the account key's fingerprint: replacing the key orphans them all. */
  vonageJwt: (keyFingerprint: string, tokenHash: string) => `vjwt:${keyFingerprint}:${tokenHash}`,
  /** An EngageLab dev key's hashed secret and owner. */
  devKey: (devKey: string) => `devkey:${devKey}`,
  /** A live Cloud API access token's owner, by the SHA-256 of the token. */
  cloudApiToken: (tokenHash: string) => `cat:${tokenHash}`,
  /** The READY number a number API key opens, by the SHA-256 of the key. */
  numberKey: (keyHash: string) => `numkey:${keyHash}`,
  /** A console session (cookie `tuma_session`), by the SHA-256 of the session id. */
  session: (sessionHash: string) => `sess:${sessionHash}`,
  /** An index entry of an account's console session (same TTL), so rotating its key can end them all. */
  accountSession: (accountId: string, sessionHash: string) => `sessacct:${accountId}:${sessionHash}`,
  accountSessions: (accountId: string) => `sessacct:${accountId}:`,
  /** Whether an account is suspended, by its id: a short-lived copy of accounts.suspended_at. */
  accountState: (accountId: string) => `acctstate:${accountId}`,
  /** Read by the health check; never written. */
  healthProbe: "health:probe",
} as const;

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
