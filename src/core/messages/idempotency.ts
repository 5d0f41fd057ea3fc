import { sha256Hex } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import type { SendInput, SentMessage } from "./contract";
import { messageLog, sentMessageOf, STALE_PENDING_MS } from "./store";
import { uniqueViolation } from "../../stores/unique-violation";

/**
 * Idempotency keys. The key is claimed by an INSERT in the same batch that writes the message
 * (and its hold), so of two requests with one key exactly one writes and sends; the other finds
 * the claim. A failed send releases its key, so a retry can try again.
 */

/** Same request ⇔ same hash: the send's meaning, with object keys in a stable order. */
export async function requestHash(input: SendInput): Promise<string> {
  const { phoneNumberId, message, forceSandbox, clientData } = input;
  return meaningHash({ phoneNumberId, message, forceSandbox: forceSandbox ?? false, clientData: clientData ?? null });
}

/** The SHA-256 of a value's JSON with object keys in a stable order: what two requests mean, compared. */
export const meaningHash = (value: unknown) => sha256Hex(stableJson(value));

/**
 * The key as stored: a key scoped to its request (`perRequest`, e.g. a field the client only
 * wants echoed) names that request only, so another request under the same key is a new one.
 */
export const storedKey = (key: string, hash: string, perRequest: boolean | undefined) => (perRequest ? `${key}#${hash}` : key);

export const keyReused = () => fail<never>("conflict", "This idempotency key was already used for a different request", { reason: "idempotency_key_reused" });

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function claimStatement(ctx: CoreContext, accountId: string, key: string, hash: string, messageId: string): D1PreparedStatement {
  return ctx.db
    .prepare("INSERT INTO idempotency_keys (account_id, key, request_hash, message_id, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(accountId, key, hash, messageId, ctx.clock.now());
}

export function releaseStatement(ctx: CoreContext, accountId: string, messageId: string): D1PreparedStatement {
  return ctx.db.prepare("DELETE FROM idempotency_keys WHERE account_id = ? AND message_id = ?").bind(accountId, messageId);
}

export const isClaimConflict = (e: unknown) => uniqueViolation(e)?.startsWith("idempotency_keys.") === true;

/**
 * The answer an earlier request with this key gives, or null when the key is free: the original
 * `SentMessage` (replayed) for the same request, `conflict` for a different one or while the
 * first is still being sent.
 */
export async function earlierAnswer(ctx: CoreContext, accountId: string, key: string, hash: string): Promise<Result<SentMessage> | null> {
  const claim = await ctx.db
    .prepare("SELECT request_hash, message_id, created_at FROM idempotency_keys WHERE account_id = ? AND key = ?")
    .bind(accountId, key)
    .first<{ request_hash: string; message_id: string; created_at: number }>();
  if (!claim) return null;
  if (claim.request_hash !== hash) return keyReused();
  const message = await messageLog(ctx).byId(accountId, claim.message_id);
  if (!message && claim.created_at <= ctx.clock.now() - STALE_PENDING_MS) {
    // The send was interrupted between its claim and the log's record of it: nothing was sent.
    await releaseStatement(ctx, accountId, claim.message_id).run();
    return null;
  }
  if (!message?.wamid) {
    return fail("conflict", "A request with this idempotency key is still being sent; retry in a moment", { reason: "in_progress", retryAfterSeconds: 1 });
  }
  return ok(sentMessageOf(message, true));
}
