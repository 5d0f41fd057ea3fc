import { kvKeys } from "../../stores/kv";
import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, timingSafeEqualText, toBase64Url, toHex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";

/**
 * EngageLab-style API keys: a public `dev_key` and a secret `dev_secret`, shown once and stored as
 * a SHA-256 hash. Verification reads a KV copy of `dev_key → {account, secret hash}` (one KV read
 * on the send path) and falls back to D1; revoking deletes the copy at once.
 */

export interface DevKeyView {
  dev_key: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

interface CachedDevKey {
  a: string; // account id
  h: string; // sha256(dev_secret)
}

const CACHE_TTL_SECONDS = 3600;
const cacheKey = kvKeys.devKey;
/** Compared against when the key is unknown, so unknown keys and wrong secrets take the same work. */
const NO_SECRET_HASH = "0".repeat(64);

export async function createDevKey(
  ctx: CoreContext,
  accountId: string,
  label: string | null,
): Promise<{ devKey: string; devSecret: string; view: DevKeyView }> {
  const devKey = `dk_${toHex(randomBytes(12))}`;
  const devSecret = `ds_${toBase64Url(randomBytes(32))}`;
  const now = ctx.clock.now();
  await ctx.db
    .prepare("INSERT INTO dev_keys (dev_key, account_id, secret_hash, label, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(devKey, accountId, await sha256Hex(devSecret), label, now)
    .run();
  return { devKey, devSecret, view: { dev_key: devKey, label, created_at: new Date(now).toISOString(), revoked_at: null } };
}

export async function listDevKeys(ctx: CoreContext, accountId: string): Promise<DevKeyView[]> {
  const rows = await ctx.db
    .prepare("SELECT dev_key, label, created_at, revoked_at FROM dev_keys WHERE account_id = ? ORDER BY created_at, dev_key")
    .bind(accountId)
    .all<{ dev_key: string; label: string | null; created_at: number; revoked_at: number | null }>();
  return rows.results.map((r) => ({
    dev_key: r.dev_key,
    label: r.label,
    created_at: new Date(r.created_at).toISOString(),
    revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
  }));
}

/** Revokes one of the account's keys; another account's key answers not_found. Idempotent. */
export async function revokeDevKey(ctx: CoreContext, accountId: string, devKey: string): Promise<Result<void>> {
  const row = await ctx.db
    .prepare("UPDATE dev_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE dev_key = ? AND account_id = ? RETURNING dev_key")
    .bind(ctx.clock.now(), devKey, accountId)
    .first();
  if (!row) return fail("not_found", "No such key");
  await ctx.kv.delete(cacheKey(devKey));
  return ok(undefined);
}

/**
 * The account a dev_key/dev_secret pair belongs to, or `unauthorized`. A revoked key presented
 * with its right secret says so (`reason: "revoked"`): the caller proved it held the key, and
 * EngageLab tells a disabled key apart from no key.
 */
export async function verifyDevKey(ctx: CoreContext, devKey: string, devSecret: string): Promise<Result<string>> {
  const presented = await sha256Hex(devSecret);
  let entry = await ctx.kv.get<CachedDevKey>(cacheKey(devKey), "json");
  let revoked = false;
  if (!entry) {
    const row = await ctx.db
      .prepare("SELECT account_id, secret_hash, revoked_at FROM dev_keys WHERE dev_key = ?")
      .bind(devKey)
      .first<{ account_id: string; secret_hash: string; revoked_at: number | null }>();
    if (row) {
      entry = { a: row.account_id, h: row.secret_hash };
      revoked = row.revoked_at !== null;
      if (!revoked) ctx.defer(ctx.kv.put(cacheKey(devKey), JSON.stringify(entry), { expirationTtl: CACHE_TTL_SECONDS }));
    }
  }
  const matches = timingSafeEqualText(presented, entry?.h ?? NO_SECRET_HASH);
  if (!entry || !matches) return fail("unauthorized", "Unknown dev_key or wrong dev_secret");
  return revoked ? fail("unauthorized", "This dev_key was revoked", { reason: "revoked" }) : ok(entry.a);
}
