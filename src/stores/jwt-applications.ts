import { cacheUntil, kvKeys } from "./kv";
import { uniqueViolation } from "./unique-violation";

/**
 * Vonage applications: one per account, with the public half of its RSA key and that key's
 * fingerprint, in D1; and a KV copy of each verified JWT, under the key's fingerprint.
 */

interface VonageApplicationRow {
  account_id: string;
  public_key: string;
  key_fingerprint: string;
}

/**
 * Registers or replaces the account's application; `taken` when another account registered this
 * application id.
 */
interface NewVonageApplication {
  accountId: string;
  applicationId: string;
  publicKey: string;
  keyFingerprint: string;
  apiKey?: string;
  now: number;
}

/** The upsert as a statement, to batch with a new account's insert (its id cannot be taken then). */
export const saveVonageApplicationStatement = (db: D1Database, app: NewVonageApplication) =>
  db
    .prepare(
      `INSERT INTO vonage_applications (account_id, application_id, public_key, key_fingerprint, api_key, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET application_id = excluded.application_id, public_key = excluded.public_key,
         key_fingerprint = excluded.key_fingerprint, api_key = COALESCE(excluded.api_key, api_key), updated_at = excluded.updated_at`,
    )
    .bind(app.accountId, app.applicationId, app.publicKey, app.keyFingerprint, app.apiKey ?? null, app.now);

export async function saveVonageApplication(db: D1Database, app: NewVonageApplication): Promise<"saved" | "taken"> {
  try {
    await saveVonageApplicationStatement(db, app).run();
    return "saved";
  } catch (e) {
    if (uniqueViolation(e) === "vonage_applications.application_id") return "taken";
    throw e;
  }
}

export function findVonageApplication(db: D1Database, applicationId: string): Promise<VonageApplicationRow | null> {
  return db
    .prepare("SELECT account_id, public_key, key_fingerprint FROM vonage_applications WHERE application_id = ?")
    .bind(applicationId)
    .first<VonageApplicationRow>();
}

/**
 * The account's application (null: none registered), with its API key as it stands: the key it
 * was made with while that one is live; once revoked (a rotation), the account's newest live key;
 * null when it has none, or was registered without one. Derived here, so no revocation or new key
 * has to keep a copy in step.
 */
export function findAccountVonageApplication(db: D1Database, accountId: string): Promise<{ application_id: string; api_key: string | null } | null> {
  const live = "FROM dev_keys k WHERE k.account_id = va.account_id AND k.revoked_at IS NULL";
  return db
    .prepare(
      `SELECT va.application_id, CASE WHEN va.api_key IS NULL THEN NULL ELSE COALESCE(
         (SELECT k.dev_key ${live} AND k.dev_key = va.api_key),
         (SELECT k.dev_key ${live} ORDER BY k.created_at DESC, k.dev_key DESC LIMIT 1)) END AS api_key
       FROM vonage_applications va WHERE va.account_id = ?`,
    )
    .bind(accountId)
    .first<{ application_id: string; api_key: string | null }>();
}

/** The KV copy of a verified JWT. */
interface CachedJwt {
  a: string; // account id
  e: number; // expiry, seconds
}

export const readCachedJwt = (kv: KVNamespace, keyFingerprint: string, tokenHash: string) =>
  kv.get<CachedJwt>(kvKeys.vonageJwt(keyFingerprint, tokenHash), "json");

/** Caches a verified JWT until its expiry, never longer. */
export const cacheJwt = (kv: KVNamespace, keyFingerprint: string, tokenHash: string, entry: CachedJwt, nowMs: number) =>
  cacheUntil(kv, kvKeys.vonageJwt(keyFingerprint, tokenHash), entry, entry.e * 1000, nowMs);
