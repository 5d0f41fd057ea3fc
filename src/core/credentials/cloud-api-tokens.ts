import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, sha256Hex, toBase64Url, toHex } from "../../lib/crypto";
import {
  cacheCloudApiToken,
  findCloudApiToken,
  forgetCloudApiToken,
  insertCloudApiToken,
  listCloudApiTokenRows,
  markCloudApiTokenRevoked,
  readCachedCloudApiToken,
} from "../../stores/cloud-api-tokens";
import type { CoreContext } from "../../config/context";
import { rateLimit } from "../limits/rate-limits";
import { accountDerivedSecret } from "./derived-secrets";
import { refillThenConfirm } from "./refill";

/**
 * Access tokens for Meta's Cloud API dialect: long-lived like a Meta system-user token, shown once
 * and stored as a SHA-256 hash, named by a public id to list and revoke. Verification reads a KV
 * copy (one read on the send path) and falls back to D1; revoking deletes the copy at once, and a
 * refill racing the revocation cannot bring it back (refill.ts).
 */

export interface CloudApiTokenView {
  id: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

const CACHE_TTL_SECONDS = 3600;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function createCloudApiToken(ctx: CoreContext, accountId: string, label: string | null): Promise<{ token: string; view: CloudApiTokenView }> {
  const id = `cat_${toHex(randomBytes(12))}`;
  const token = `EAAT${toBase64Url(randomBytes(32))}`;
  const now = ctx.clock.now();
  await insertCloudApiToken(ctx.db, { id, accountId, hash: await sha256Hex(token), label, now });
  return { token, view: { id, label, created_at: iso(now)!, revoked_at: null } };
}

export async function listCloudApiTokens(ctx: CoreContext, accountId: string): Promise<CloudApiTokenView[]> {
  const rows = await listCloudApiTokenRows(ctx.db, accountId);
  return rows.map((r) => ({ id: r.id, label: r.label, created_at: iso(r.created_at)!, revoked_at: iso(r.revoked_at) }));
}

/** Revokes one of the account's tokens at once; another account's token answers not_found. Idempotent. */
export async function revokeCloudApiToken(ctx: CoreContext, accountId: string, id: string): Promise<Result<void>> {
  const hash = await markCloudApiTokenRevoked(ctx.db, accountId, id, ctx.clock.now());
  if (hash === null) return fail("not_found", "No such access token");
  await forgetCloudApiToken(ctx.kv, hash);
  return ok(undefined);
}

/** The account an access token belongs to, or `unauthorized` (unknown or revoked). */
export async function resolveCloudApiToken(ctx: CoreContext, token: string): Promise<Result<string>> {
  const hash = await sha256Hex(token);
  const admitted = await rateLimit(ctx, "credential", `cat:${hash.slice(0, 32)}`);
  if (!admitted.ok) return admitted;
  const cached = await readCachedCloudApiToken(ctx.kv, hash);
  if (cached) return ok(cached.a);
  const row = await findCloudApiToken(ctx.db, hash);
  if (!row || row.revoked_at !== null) return fail("unauthorized", "Invalid OAuth access token - Cannot parse access token");
  const live = async () => (await findCloudApiToken(ctx.db, hash))?.revoked_at === null;
  ctx.defer(refillThenConfirm(() => cacheCloudApiToken(ctx.kv, hash, row.account_id, CACHE_TTL_SECONDS), live, () => forgetCloudApiToken(ctx.kv, hash)));
  return ok(row.account_id);
}

/**
 * The app secret the account's Cloud API webhooks are signed with (`X-Hub-Signature-256`):
 * derived (derived-secrets.ts), so nothing secret is stored and it can be shown again.
 */
export async function cloudApiAppSecret(ctx: CoreContext, accountId: string): Promise<string> {
  return (await accountDerivedSecret(ctx, "cloud-api-app-secret", accountId)).slice(0, 32);
}
