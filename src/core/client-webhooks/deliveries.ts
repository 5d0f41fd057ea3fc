import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { targetsFor, type EndpointRow } from "./endpoints";
import type { CanonicalEvent } from "./events";

/**
 * Client webhook deliveries. One row per (event, endpoint), UNIQUE, so an event processed twice
 * still yields one delivery per endpoint; its id is the `Tuma-Delivery-Id` of every attempt.
 * An attempt (attempts.ts) first claims the row (due, not leased), so duplicate queue messages never call an
 * endpoint twice at once; a failure schedules the next attempt on a growing delay and the queue
 * message comes back then; past the retry window the delivery is dead and can be replayed.
 * The cron re-queues any due delivery whose queue message was lost: none is ever dropped.
 */
export const DELIVERY_KIND = "delivery";

/** Seconds to wait after the 1st, 2nd, … failure; hourly after the last. */
const RETRY_DELAYS_S = [30, 60, 120, 300, 600, 1800];
export const retryDelaySeconds = (failures: number) => RETRY_DELAYS_S[failures - 1] ?? 3600;

/** An attempt holds its claim this much longer than the call may take. */
export const LEASE_MARGIN_MS = 5000;

export type DeliveryState = "pending" | "delivered" | "dead";

export interface DeliveryRow {
  id: string;
  account_id: string;
  endpoint_id: string;
  event_id: string;
  event: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  leased_until: number | null;
  window_started_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export const COLUMNS = "id, account_id, endpoint_id, event_id, event, state, attempts, next_attempt_at, leased_until, window_started_at, last_status, last_error, created_at, updated_at";

/** An account's targets read once for a batch of events: key → targets. */
export type TargetsMemo = Map<string, Promise<EndpointRow[]>>;

/**
 * Creates the events' deliveries (one per target, once: UNIQUE (event, endpoint)) and queues the
 * new ones: one statement per 100 deliveries, whatever the number of events.
 */
export async function fanOut(ctx: CoreContext, items: { accountId: string; event: CanonicalEvent }[], memo: TargetsMemo = new Map()): Promise<number> {
  const rows: [string, string, string, string, string][] = [];
  for (const { accountId, event } of items) {
    const memoKey = `${accountId}:${event.phone_number_id}:${event.type}`;
    if (!memo.has(memoKey)) memo.set(memoKey, targetsFor(ctx, accountId, event.phone_number_id, event.type));
    const body = JSON.stringify(event);
    for (const t of await memo.get(memoKey)!) rows.push([`dlv_${crypto.randomUUID().replace(/-/g, "")}`, accountId, t.id, event.id, body]);
  }
  if (!rows.length) return 0;
  const now = ctx.clock.now();
  const statements = [];
  for (let i = 0; i < rows.length; i += 100) {
    statements.push(
      ctx.db
        // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT.
        .prepare(
          `INSERT INTO deliveries (id, account_id, endpoint_id, event_id, event, next_attempt_at, window_started_at, created_at, updated_at)
           SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ?2, ?2, ?2, ?2 FROM json_each(?1) WHERE true
           ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id`,
        )
        .bind(JSON.stringify(rows.slice(i, i + 100)), now),
    );
  }
  const order = new Map(rows.map((r, i) => [r[0], i]));
  const fresh = (await ctx.db.batch<{ id: string }>(statements)).flatMap((r) => r.results.map((row) => row.id)).sort((a, b) => order.get(a)! - order.get(b)!);
  await queueDeliveries(ctx, fresh);
  return fresh.length;
}

async function queueDeliveries(ctx: CoreContext, ids: string[], delaySeconds = 0): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    await ctx.env.DELIVERIES.sendBatch(ids.slice(i, i + 100).map((deliveryId) => ({ body: { kind: DELIVERY_KIND, deliveryId }, delaySeconds })));
  }
}

/** Cron: queues due deliveries nobody is attempting (their queue message was lost). */
export async function requeueOverdueDeliveries(ctx: CoreContext, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  const { results } = await ctx.db
    .prepare("SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at < ? AND (leased_until IS NULL OR leased_until < ?) ORDER BY next_attempt_at LIMIT ?")
    .bind(now - OVERDUE_MS, now, limit)
    .all<{ id: string }>();
  await queueDeliveries(ctx, results.map((r) => r.id));
  return results.length;
}
const OVERDUE_MS = 10 * 60 * 1000;

export interface DeliveryView extends Omit<DeliveryRow, "event"> {
  event: CanonicalEvent;
  attempt_log: { attempt: number; at: number; status_code: number | null; error: string | null; duration_ms: number }[];
}

export interface DeliveryFilter {
  state?: DeliveryState;
  endpointId?: string;
  since?: number;
  until?: number;
  limit: number;
  /** Cursor: only deliveries listed after the one with this `seq` (newest first). */
  before?: number;
}

/** The account's deliveries, newest first; `seq` is the cursor (pass it as `before` for the next page). */
export async function listDeliveries(ctx: CoreContext, accountId: string, f: DeliveryFilter): Promise<(DeliveryView & { seq: number })[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT rowid AS seq, ${COLUMNS} FROM deliveries WHERE account_id = ?1 AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR endpoint_id = ?3)
       AND created_at >= ?4 AND created_at < ?5 AND rowid < ?6 ORDER BY rowid DESC LIMIT ?7`,
    )
    .bind(accountId, f.state ?? null, f.endpointId ?? null, f.since ?? 0, f.until ?? Number.MAX_SAFE_INTEGER, f.before ?? Number.MAX_SAFE_INTEGER, f.limit)
    .all<DeliveryRow & { seq: number }>();
  return withAttempts(ctx, results);
}

export async function getDelivery(ctx: CoreContext, accountId: string, id: string): Promise<Result<DeliveryView>> {
  const row = await ctx.db.prepare(`SELECT ${COLUMNS} FROM deliveries WHERE id = ? AND account_id = ?`).bind(id, accountId).first<DeliveryRow>();
  if (!row) return fail("not_found", `No delivery ${id}`);
  return ok((await withAttempts(ctx, [row]))[0]!);
}

export async function withAttempts<R extends DeliveryRow>(ctx: CoreContext, rows: R[]): Promise<(Omit<R, "event"> & DeliveryView)[]> {
  if (!rows.length) return [];
  const { results } = await ctx.db
    .prepare(`SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM delivery_attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY attempt`)
    .bind(JSON.stringify(rows.map((r) => r.id)))
    .all<{ delivery_id: string; attempt: number; at: number; status_code: number | null; error: string | null; duration_ms: number }>();
  return rows.map((r) => ({
    ...r,
    event: JSON.parse(r.event) as CanonicalEvent,
    attempt_log: results.filter((a) => a.delivery_id === r.id).map(({ delivery_id: _, ...a }) => a),
  }));
}

/**
 * Sends a dead (or delivered) delivery again, with the same delivery id and a fresh retry
 * window. A pending one is already being retried: `conflict`.
 */
export async function replayDelivery(ctx: CoreContext, accountId: string, id: string): Promise<Result<DeliveryView>> {
  const replayed = await replayWhere(ctx, "id = ?2 AND account_id = ?3 AND state != 'pending'", [id, accountId]);
  if (!replayed.length) {
    const existing = await getDelivery(ctx, accountId, id);
    if (!existing.ok) return existing;
    return fail("conflict", `Delivery ${id} is pending: it is already being retried`);
  }
  return getDelivery(ctx, accountId, id);
}

/** Replays every dead delivery of the account created in [since, until), at most `limit`. */
export async function replayDead(ctx: CoreContext, accountId: string, since: number, until: number, limit = 1000): Promise<number> {
  return (await replayWhere(ctx, "id IN (SELECT id FROM deliveries WHERE account_id = ?2 AND state = 'dead' AND created_at >= ?3 AND created_at < ?4 LIMIT ?5)", [accountId, since, until, limit])).length;
}

export async function replayWhere(ctx: CoreContext, where: string, params: unknown[]): Promise<string[]> {
  const now = ctx.clock.now();
  const { results } = await ctx.db
    .prepare(`UPDATE deliveries SET state = 'pending', next_attempt_at = ?1, window_started_at = ?1, leased_until = NULL, updated_at = ?1 WHERE ${where} RETURNING id`)
    .bind(now, ...params)
    .all<{ id: string }>();
  const ids = results.map((r) => r.id);
  await queueDeliveries(ctx, ids);
  return ids;
}
