import { HOUR } from "../../lib/clock";
import { describeError } from "../../lib/log";
import { clientUrlProblem } from "../../lib/url-policy";
import type { CoreContext } from "../../config/context";
import { COLUMNS, LEASE_MARGIN_MS, retryDelaySeconds, type DeliveryRow, type DeliveryState } from "./deliveries";
import { endpointSecret, findEndpoints, type EndpointRow } from "./endpoints";
import type { CanonicalEvent } from "./events";
import type { OutgoingRequest, WebhookFormats } from "./format";
import { signRequest } from "./sign";

/**
 * Attempts of client webhook deliveries, a queue batch at a time: one statement claims every due
 * delivery nobody else is attempting (so duplicate queue messages never call an endpoint twice at
 * once), one reads their endpoints, the calls run side by side, and one batch of two statements
 * records every outcome. A failure schedules the next attempt on a growing delay; past the retry
 * window the delivery is dead.
 */

/** What the queue consumer does with a message after its attempt: ack it, or bring it back later. */
export type AttemptOutcome = { retryInSeconds?: number };

interface Result {
  d: DeliveryRow;
  status: number | null;
  error: string | null;
  durationMs: number;
  gone: boolean;
}

/** One attempt of a delivery, if it is due and nobody else is making it. */
export async function attemptDelivery(ctx: CoreContext, formats: WebhookFormats, deliveryId: string): Promise<AttemptOutcome> {
  return (await attemptDeliveries(ctx, formats, [deliveryId])).get(deliveryId) ?? {};
}

/** One attempt of each delivery that is due and nobody else is making; the outcome per id. */
export async function attemptDeliveries(ctx: CoreContext, formats: WebhookFormats, ids: string[]): Promise<Map<string, AttemptOutcome>> {
  const now = ctx.clock.now();
  const timeout = ctx.config.WEBHOOK_TIMEOUT_MS;
  const { results: claimed } = await ctx.db
    .prepare(
      `UPDATE deliveries SET attempts = attempts + 1, leased_until = ?1, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?3)) AND state = 'pending' AND next_attempt_at <= ?2 AND (leased_until IS NULL OR leased_until <= ?2)
       RETURNING ${COLUMNS}`,
    )
    .bind(now + timeout + LEASE_MARGIN_MS, now, JSON.stringify([...new Set(ids)]))
    .all<DeliveryRow>();
  const outcomes = new Map<string, AttemptOutcome>();
  const unclaimed = ids.filter((id) => !claimed.some((d) => d.id === id));
  if (unclaimed.length) for (const [id, outcome] of await notClaimed(ctx, unclaimed, now)) outcomes.set(id, outcome);
  if (!claimed.length) return outcomes;

  const endpoints = await findEndpoints(ctx, claimed.map((d) => ({ accountId: d.account_id, endpointId: d.endpoint_id })));
  const results = await Promise.all(claimed.map((d) => attemptOrFail(ctx, formats, d, endpoints.find((e) => e.id === d.endpoint_id && e.account_id === d.account_id) ?? null, now)));
  for (const [id, outcome] of await record(ctx, results)) outcomes.set(id, outcome);
  return outcomes;
}

/**
 * One delivery's throw (a format or its authorization failing) is that delivery's failed attempt:
 * thrown out of Promise.all it would leave the batch's other calls, made already, unrecorded, and
 * their endpoints called again once the leases expire.
 */
async function attemptOrFail(ctx: CoreContext, formats: WebhookFormats, d: DeliveryRow, target: EndpointRow | null, now: number): Promise<Result> {
  const started = Date.now();
  try {
    return await attempt(ctx, formats, d, target, now);
  } catch (e) {
    ctx.log.log("error", "webhook_attempt_threw", { delivery_id: d.id, ...describeError(e) });
    return { d, status: null, error: "The request could not be built", durationMs: Date.now() - started, gone: false };
  }
}

async function attempt(ctx: CoreContext, formats: WebhookFormats, d: DeliveryRow, target: EndpointRow | null, now: number): Promise<Result> {
  const format = target && formats.find(target.format);
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  if (!target?.url) {
    error = target ? "The endpoint has no URL" : "The endpoint was deleted";
  } else if (!format) {
    error = `No webhook format ${target.format} is registered`;
  } else {
    const event = JSON.parse(d.event) as CanonicalEvent;
    const unsigned = format.request(event, { url: target.url, headers: target.headers ? (JSON.parse(target.headers) as Record<string, string>) : {} });
    const signed = await signRequest(unsigned, await endpointSecret(ctx.config, target), d.id, now);
    // A format may add its own authorization (Vonage's signed JWT) on top of Tuma's signature.
    const request = format.authorize ? { ...signed, headers: { ...signed.headers, ...(await format.authorize(signed, { ctx, accountId: d.account_id, nowMs: now })) } } : signed;
    const refused = clientUrlProblem(request.url, ctx.config.production);
    if (refused) {
      // Checked again here: the policy or the environment may have changed since the URL was set.
      error = "URL not allowed";
      ctx.log.log("warn", "webhook_url_refused", { delivery_id: d.id, endpoint_id: target.id, reason: refused });
    } else {
      ({ status, error } = await call(ctx, d.id, request, ctx.config.WEBHOOK_TIMEOUT_MS));
    }
  }
  return { d, status, error, durationMs: Date.now() - started, gone: !target };
}

/**
 * One call, redirects not followed (a 3xx is a failure). The client sees a generic reason; the
 * network's own words, which would tell a prober what lies behind a URL, go to the log only.
 */
async function call(ctx: CoreContext, deliveryId: string, request: OutgoingRequest, timeout: number): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeout), redirect: "manual" });
    await response.body?.cancel();
    return { status: response.status, error: response.status < 200 || response.status > 299 ? `HTTP ${response.status}` : null };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    ctx.log.log("warn", "webhook_call_failed", { delivery_id: deliveryId, ...describeError(e) });
    return { status: null, error: timedOut ? "timed out" : "connection failed" };
  }
}

/** Someone else holds them, or they are not due: come back when they may be; finished ones are dropped. */
async function notClaimed(ctx: CoreContext, ids: string[], now: number): Promise<Map<string, AttemptOutcome>> {
  const { results } = await ctx.db
    .prepare("SELECT id, state, next_attempt_at, leased_until FROM deliveries WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(ids))
    .all<Pick<DeliveryRow, "id" | "state" | "next_attempt_at" | "leased_until">>();
  const outcomes = new Map<string, AttemptOutcome>(ids.map((id) => [id, {}]));
  for (const row of results.filter((r) => r.state === "pending")) {
    const at = Math.max(row.next_attempt_at, row.leased_until ?? 0);
    outcomes.set(row.id, { retryInSeconds: Math.max(1, Math.ceil((at - now) / 1000)) });
  }
  return outcomes;
}

/** Every attempt's row and its delivery's new state, in one batch of two statements. */
async function record(ctx: CoreContext, results: Result[]): Promise<Map<string, AttemptOutcome>> {
  const now = ctx.clock.now();
  const outcomes = new Map<string, AttemptOutcome>();
  const attempts: unknown[][] = [];
  const updates: unknown[][] = [];
  for (const { d, status, error, durationMs, gone } of results) {
    const windowEnd = d.window_started_at + ctx.config.WEBHOOK_RETRY_HOURS * HOUR;
    let state: DeliveryState = "pending";
    let next = d.next_attempt_at;
    if (!error) state = "delivered";
    else if (gone || now >= windowEnd) state = "dead";
    else next = Math.min(now + retryDelaySeconds(d.attempts) * 1000, windowEnd);
    attempts.push([d.id, d.attempts, now, status, error, durationMs]);
    updates.push([d.id, d.attempts, state, next, status, error]);
    ctx.log.log(state === "dead" ? "warn" : "info", "webhook_attempt", { delivery_id: d.id, account_id: d.account_id, attempt: d.attempts, status, state });
    outcomes.set(d.id, state === "pending" ? { retryInSeconds: Math.max(1, Math.ceil((next - now) / 1000)) } : {});
  }
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`,
      )
      .bind(JSON.stringify(attempts)),
    // Only the attempt that claimed it (same attempts count) settles a delivery.
    ctx.db
      .prepare(
        `UPDATE deliveries SET state = u.value ->> 2, next_attempt_at = u.value ->> 3, leased_until = NULL, last_status = u.value ->> 4, last_error = u.value ->> 5, updated_at = ?2
         FROM json_each(?1) AS u WHERE deliveries.id = u.value ->> 0 AND deliveries.attempts = u.value ->> 1`,
      )
      .bind(JSON.stringify(updates), now),
  ]);
  return outcomes;
}
