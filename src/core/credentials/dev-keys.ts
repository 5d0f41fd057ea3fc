import { cacheDevKey, findDevKey, forgetDevKey, insertDevKey, listDevKeyRows, markDevKeyRevoked, readCachedDevKey } from "../../stores/dev-keys";
import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, timingSafeEqualText, toBase64Url, toHex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import { rateLimit } from "../limits/rate-limits";
import { refillThenConfirm } from "./refill";

/**
 * EngageLab-style API keys: a public `dev_key` and a secret `dev_secret`, shown once and stored as
 * a SHA-256 hash. Verification reads a KV copy of `dev_key → {account, secret hash}` (one KV read
 * on the send path) and falls back to D1; revoking deletes the copy at once, and a refill racing
 * the revocation cannot bring it back (refill.ts).
 */

export interface DevKeyView {
  dev_key: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

const CACHE_TTL_SECONDS = 3600;
/** Compared against when the key is unknown, so unknown keys and wrong secrets take the same work. */
const NO_SECRET_HASH = "0".repeat(64);

interface NewDevKey {
  devKey: string;
  devSecret: string;
  view: DevKeyView;
  /** The statement that stores the key for `accountId` (batched with a new account's insert). */
  insert: (accountId: string) => D1PreparedStatement;
}

/** A new key pair, not stored yet. */
export async function draftDevKey(ctx: CoreContext, label: string | null): Promise<NewDevKey> {
  const devKey = `dk_${toHex(randomBytes(12))}`;
  const devSecret = `ds_${toBase64Url(randomBytes(32))}`;
  const now = ctx.clock.now();
  const secretHash = await sha256Hex(devSecret);
  return {
    devKey,
    devSecret,
    view: { dev_key: devKey, label, created_at: new Date(now).toISOString(), revoked_at: null },
    insert: (accountId) => insertDevKey(ctx.db, { devKey, accountId, secretHash, label, now }),
  };
}

export async function createDevKey(ctx: CoreContext, accountId: string, label: string | null): Promise<Omit<NewDevKey, "insert">> {
  const { insert, ...key } = await draftDevKey(ctx, label);
  await insert(accountId).run();
  return key;
}

export async function listDevKeys(ctx: CoreContext, accountId: string): Promise<DevKeyView[]> {
  const rows = await listDevKeyRows(ctx.db, accountId);
  return rows.map((r) => ({
    dev_key: r.dev_key,
    label: r.label,
    created_at: new Date(r.created_at).toISOString(),
    revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
  }));
}

/** Revokes one of the account's keys; another account's key answers not_found. Idempotent. */
export async function revokeDevKey(ctx: CoreContext, accountId: string, devKey: string): Promise<Result<void>> {
  if (!(await markDevKeyRevoked(ctx.db, accountId, devKey, ctx.clock.now()))) return fail("not_found", "No such key");
  await forgetDevKey(ctx.kv, devKey);
  return ok(undefined);
}

/**
 * The account a dev_key/dev_secret pair belongs to, or `unauthorized`. A revoked key presented
 * with its right secret says so (`reason: "revoked"`): the caller proved it held the key, and
 * EngageLab tells a disabled key apart from no key.
 */
export async function verifyDevKey(ctx: CoreContext, devKey: string, devSecret: string): Promise<Result<string>> {
  const admitted = await rateLimit(ctx, "credential", `devkey:${devKey}`);
  if (!admitted.ok) return admitted;
  const presented = await sha256Hex(devSecret);
  let entry = await readCachedDevKey(ctx.kv, devKey);
  let revoked = false;
  if (!entry) {
    const row = await findDevKey(ctx.db, devKey);
    if (row) {
      entry = { a: row.account_id, h: row.secret_hash };
      revoked = row.revoked_at !== null;
      if (!revoked) {
        const copy = entry;
        const live = async () => {
          const now = await findDevKey(ctx.db, devKey);
          return now !== null && now.revoked_at === null && now.secret_hash === copy.h;
        };
        ctx.defer(refillThenConfirm(() => cacheDevKey(ctx.kv, devKey, copy, CACHE_TTL_SECONDS), live, () => forgetDevKey(ctx.kv, devKey)));
      }
    }
  }
  const matches = timingSafeEqualText(presented, entry?.h ?? NO_SECRET_HASH);
  if (!entry || !matches) return fail("unauthorized", "Unknown dev_key or wrong dev_secret");
  return revoked ? fail("unauthorized", "This dev_key was revoked", { reason: "revoked" }) : ok(entry.a);
}
