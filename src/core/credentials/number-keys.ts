import {
  cacheNumberKey,
  findNumberByKeyHash,
  findNumberKey,
  forgetNumberKey,
  readCachedNumberKey,
  replaceNumberKey,
  type CachedNumberKey,
} from "../../stores/number-keys";
import type { DeploymentState } from "../../durable/deployment-model";
import { randomBytes, sha256Hex, timingSafeEqualText, toHex } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import { maskSecret } from "../accounts/accounts";
import type { CoreContext } from "../../config/context";
import { rateLimit } from "../limits/rate-limits";
import { refillThenConfirm } from "./refill";

/**
 * A number's API key (LAfricaMobile's `LAM-API-KEY`, 360dialog's `D360-API-KEY`): one per live
 * deployment, shown once, stored as sha256 in `deployments.api_key_hash` (UNIQUE). The hot path
 * reads a KV copy `numkey:<hash>` → the READY number it opens; only READY numbers are copied, and
 * the copy is dropped when the key rotates and whenever the number's state leaves READY (the
 * Deployment object's mirror calls `forgetNumberKey`), so a deleted number's key stops at once;
 * a refill racing the rotation or the state change cannot bring the copy back (refill.ts).
 */

export interface NumberKeyOwner {
  accountId: string;
  deploymentId: string;
  /** Null until the number has been added to the WABA. */
  phoneNumberId: string | null;
  state: DeploymentState;
}

const API_KEY_BYTES = 20;
const API_KEY_PREFIX_LENGTH = 8;
/** Bounds how long a copy could outlive a missed invalidation (the D1 row stays the truth). */
const CACHE_TTL_SECONDS = 600;
/** Hex digits of the key's hash that name its rate-limit target (65,536 targets). */
const KEY_HASH_TARGET_LENGTH = 4;

/** A fresh key with what D1 keeps of it. */
export async function newNumberKey(): Promise<{ apiKey: string; hash: string; prefix: string }> {
  const apiKey = toHex(randomBytes(API_KEY_BYTES));
  return { apiKey, hash: await sha256Hex(apiKey), prefix: apiKey.slice(0, API_KEY_PREFIX_LENGTH) };
}

const unknownKey = () => fail<never>("unauthorized", "Invalid API key");

/**
 * The live number an API key opens, or `unauthorized`. A deleted number's key is unknown. The
 * lookup is by the key's hash (an index or KV key, which tells an attacker nothing about the
 * key), and the stored hash is then compared in constant time.
 */
export async function resolveNumberKey(ctx: CoreContext, apiKey: string): Promise<Result<NumberKeyOwner>> {
  if (apiKey.length === 0 || apiKey.length > 256) return unknownKey();
  const hash = await sha256Hex(apiKey);
  // The key is its own target: throttled by a prefix of its hash, whoever presents it.
  const admitted = await rateLimit(ctx, "credential", `numkey:${hash.slice(0, KEY_HASH_TARGET_LENGTH)}`);
  if (!admitted.ok) return admitted;
  const cached = await readCachedNumberKey(ctx.kv, hash);
  if (cached) {
    if (!timingSafeEqualText(hash, cached.h)) return unknownKey();
    return ok({ accountId: cached.a, deploymentId: cached.d, phoneNumberId: cached.p, state: "READY" });
  }
  const row = await findNumberByKeyHash(ctx.db, hash);
  if (!row || !timingSafeEqualText(hash, row.api_key_hash)) return unknownKey();
  if (row.state === "READY" && row.phone_number_id) {
    const entry: CachedNumberKey = { a: row.account_id, d: row.id, p: row.phone_number_id, h: hash };
    const live = async () => {
      const now = await findNumberByKeyHash(ctx.db, hash);
      return now !== null && now.state === "READY" && now.id === entry.d;
    };
    ctx.defer(refillThenConfirm(() => cacheNumberKey(ctx.kv, entry, CACHE_TTL_SECONDS), live, () => forgetNumberKey(ctx.kv, hash)));
  }
  // The row mirrors the Deployment object's state.
  return ok({ accountId: row.account_id, deploymentId: row.id, phoneNumberId: row.phone_number_id, state: row.state as DeploymentState });
}

/** The number behind a key, which must be READY to send. */
export async function resolveSendingNumber(ctx: CoreContext, apiKey: string): Promise<Result<NumberKeyOwner & { phoneNumberId: string }>> {
  const owner = await resolveNumberKey(ctx, apiKey);
  if (!owner.ok) return owner;
  const { state, phoneNumberId } = owner.value;
  if (state !== "READY" || !phoneNumberId) {
    return fail("conflict", `The number is ${state}, not READY: it can send once its verification is finished`, { reason: "number_not_ready" });
  }
  return ok({ ...owner.value, phoneNumberId });
}

export interface RotatedKey {
  apiKey: string;
  apiKeyMasked: string;
  phoneNumberId: string;
  deploymentId: string;
}

/**
 * Issues a new API key for one of the account's live numbers; the old key stops working at once.
 * The write is guarded by the old hash, so two concurrent rotations cannot both win silently.
 */
export async function rotateNumberKey(ctx: CoreContext, accountId: string, phoneNumberId: string): Promise<Result<RotatedKey>> {
  const row = await findNumberKey(ctx.db, accountId, phoneNumberId);
  if (!row) return fail("not_found", "No number with this phone_number_id in this account");
  const { apiKey, hash, prefix } = await newNumberKey();
  const replaced = await replaceNumberKey(ctx.db, { deploymentId: row.id, oldHash: row.api_key_hash, hash, prefix, now: ctx.clock.now() });
  if (!replaced) return fail("conflict", "The number's key changed or the number was deleted meanwhile; try again");
  await forgetNumberKey(ctx.kv, row.api_key_hash);
  ctx.log.log("info", "number_key_rotated", { account_id: accountId, deployment_id: row.id });
  return ok({ apiKey, apiKeyMasked: maskSecret(prefix), phoneNumberId, deploymentId: row.id });
}
