import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/**
 * Events for numbers no account has (yet): kept, listed for the operator, re-processable. Beside
 * them, the events that will never be processed: `invalid` (a field of the wrong type, found at
 * intake) and `failed` (every allowed attempt failed), each with its reason.
 */
export interface StoredEvent {
  id: string;
  kind: string;
  phone_number_id: string;
  body: string;
  received_at: number;
}

export interface RejectedEvent extends StoredEvent {
  state: "invalid" | "failed";
  attempts: number;
  failure: string | null;
}

export async function listUnrouted(ctx: CoreContext, limit = 100): Promise<StoredEvent[]> {
  const { results } = await ctx.db
    .prepare("SELECT id, kind, phone_number_id, body, received_at FROM meta_events WHERE state = 'unrouted' ORDER BY received_at DESC LIMIT ?")
    .bind(limit)
    .all<StoredEvent>();
  return results;
}

export async function listRejected(ctx: CoreContext, limit = 100): Promise<RejectedEvent[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT id, kind, phone_number_id, body, received_at, state, attempts, failure FROM meta_events
       WHERE state IN ('invalid', 'failed') ORDER BY received_at DESC LIMIT ?`,
    )
    .bind(limit)
    .all<RejectedEvent>();
  return results;
}

/** How many stored events are unrouted, and how many poisoned (invalid, or failed after every attempt). */
export async function countStuckEvents(ctx: CoreContext): Promise<{ unrouted: number; poison: number }> {
  const row = await ctx.db
    .prepare("SELECT (SELECT COUNT(*) FROM meta_events WHERE state = 'unrouted') AS unrouted, (SELECT COUNT(*) FROM meta_events WHERE state IN ('invalid', 'failed')) AS poison")
    .first<{ unrouted: number; poison: number }>();
  return { unrouted: row?.unrouted ?? 0, poison: row?.poison ?? 0 };
}

/** Processes the unrouted events of a number again (once it belongs to an account). */
export async function retryUnrouted(ctx: CoreContext, phoneNumberId: string): Promise<number> {
  const { results } = await ctx.db
    .prepare("UPDATE meta_events SET state = 'received', attempts = 0, failure = NULL WHERE state = 'unrouted' AND phone_number_id = ? RETURNING id")
    .bind(phoneNumberId)
    .all<{ id: string }>();
  await queueEvents(ctx, results.map((r) => r.id));
  return results.length;
}

/**
 * Processes again the events that failed after INBOUND_MAX_ATTEMPTS (once the cause is fixed):
 * each gets a fresh count of attempts. Invalid ones are not replayed: they can never succeed.
 */
export async function replayFailedEvents(ctx: CoreContext, limit = 1000): Promise<number> {
  const { results } = await ctx.db
    .prepare(
      `UPDATE meta_events SET state = 'received', attempts = 0, failure = NULL
       WHERE id IN (SELECT id FROM meta_events WHERE state = 'failed' ORDER BY received_at LIMIT ?) RETURNING id`,
    )
    .bind(limit)
    .all<{ id: string }>();
  await queueEvents(ctx, results.map((r) => r.id));
  return results.length;
}
