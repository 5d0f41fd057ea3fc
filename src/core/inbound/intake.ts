import type { Config } from "../../config/env";
import { fail, ok, type Result } from "../../lib/errors";
import { hmacSha256Hex, sha256Hex, timingSafeEqualText } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import { extractEvents, type EventKind } from "../../upstreams/whatsapp/webhook-payload";
import { applyTemplateStatusUpdates } from "../templates/status-updates";

/**
 * Meta's webhook intake (reference §6.2–6.3): the signature is checked over the exact bytes
 * before anything is parsed or stored; a valid payload is queued (durably) before it is
 * acknowledged, then stored (raw, and one row per event, UNIQUE on the key Meta's duplicates
 * share) and processed by the INBOUND consumer. The sandbox's statuses and simulated customers
 * are signed with the same secret and stored at once.
 */
export const INBOUND_EVENT_KIND = "meta_event";
export const SIGNATURE_HEADER = "X-Hub-Signature-256";

/** Meta allows payloads up to 3 MB. */
export const MAX_META_PAYLOAD_BYTES = 3 * 1024 * 1024;

type PayloadSource = "meta" | "sandbox";

/** The app secret that signs Meta's payloads; the sandbox's own secret when META_APP_SECRET is not set. */
function appSecret(config: Config): string {
  return config.META_APP_SECRET ?? config.SANDBOX_APP_SECRET;
}

/** `sha256=<hex>`, as Meta writes it. */
export async function signMetaPayload(config: Config, raw: Uint8Array): Promise<string> {
  return `sha256=${await hmacSha256Hex(appSecret(config), raw)}`;
}

async function verifyMetaSignature(config: Config, raw: Uint8Array, header: string | null): Promise<boolean> {
  if (!header) return false;
  // The comparison covers the whole header value, so the prefix needs no separate check.
  return timingSafeEqualText(header.trim().toLowerCase(), await signMetaPayload(config, raw));
}

export interface IntakeOutcome {
  /** Events in the payload. */
  events: number;
  /** Events not seen before, queued for processing. */
  fresh: string[];
}

/** The INBOUND message of one verified payload: inline, or by reference once stored (a large one). */
export interface PayloadMessage {
  kind: typeof INBOUND_PAYLOAD_KIND;
  receivedAt: number;
  body?: string;
  payloadId?: string;
  /** The sandbox's statuses, queued as Meta's are; absent: Meta's. */
  source?: "sandbox";
}
export const INBOUND_PAYLOAD_KIND = "meta_payload";

/** A queue message is at most 128 KB; Meta's payloads up to 3 MB. Larger ones are stored first, then queued by reference. */
const INLINE_PAYLOAD_BYTES = 120 * 1024;

/**
 * Bytes a string takes in a queue message: the V8 serialiser writes a string one byte per
 * character when all are Latin-1, two otherwise (one emoji doubles the whole payload).
 */
const serializedBytes = (text: string) => (/[^\u0000-\u00ff]/.test(text) ? 2 : 1) * text.length;

/**
 * Meta's POST: the signature, then one queue message carrying the payload (one D1 write first for
 * a payload too large for a queue message), then the answer. Storing and processing happen in
 * the INBOUND consumer, batched (payloads.ts). The send is awaited: once Meta has its 200, the
 * payload is durable in the queue; if the send fails, Meta gets an error and retries.
 */
export async function intakeMetaPayload(ctx: CoreContext, raw: Uint8Array, signature: string | null): Promise<Result<{ inline: boolean }>> {
  const verified = await verify(ctx, raw, signature, "meta");
  if (!verified.ok) return verified;
  const text = verified.value;
  const receivedAt = ctx.clock.now();
  if (serializedBytes(text) <= INLINE_PAYLOAD_BYTES) {
    try {
      await ctx.env.INBOUND.send({ kind: INBOUND_PAYLOAD_KIND, receivedAt, body: text } satisfies PayloadMessage);
      return ok({ inline: true });
    } catch (e) {
      // Refused for its size after all: stored, then queued by reference, below.
      ctx.log.log("warn", "meta_payload_inline_refused", { bytes: raw.byteLength, error_message: String(e) });
    }
  }
  const payloadId = await sha256Hex(text);
  await ctx.db.prepare("INSERT INTO meta_payloads (id, body, source, received_at) VALUES (?, ?, 'meta', ?) ON CONFLICT (id) DO NOTHING").bind(payloadId, text, receivedAt).run();
  await ctx.env.INBOUND.send({ kind: INBOUND_PAYLOAD_KIND, receivedAt, payloadId } satisfies PayloadMessage);
  return ok({ inline: false });
}

async function verify(ctx: CoreContext, raw: Uint8Array, signature: string | null, source: PayloadSource): Promise<Result<string>> {
  // In production the sandbox's default secret is public: only Meta's own app secret opens the door.
  const closed = source === "meta" && ctx.config.production && !ctx.config.META_APP_SECRET;
  if (closed || !(await verifyMetaSignature(ctx.config, raw, signature))) {
    ctx.log.log("warn", "meta_webhook_bad_signature", { present: signature !== null, bytes: raw.byteLength });
    return fail("unauthorized", `Missing or invalid ${SIGNATURE_HEADER}`);
  }
  const text = new TextDecoder().decode(raw);
  try {
    JSON.parse(text);
  } catch {
    return fail("malformed_body", "The payload is not JSON");
  }
  return ok(text);
}

/**
 * The sandbox's statuses: signed like Meta's, verified, and queued as Meta's are (one INBOUND
 * message per payload, stored and processed in batches per number), labelled `sandbox`.
 */
export async function intakeSandboxStatusPayload(ctx: CoreContext, raw: Uint8Array, signature: string): Promise<Result<void>> {
  const verified = await verify(ctx, raw, signature, "sandbox");
  if (!verified.ok) return verified;
  await ctx.env.INBOUND.send({ kind: INBOUND_PAYLOAD_KIND, receivedAt: ctx.clock.now(), body: verified.value, source: "sandbox" } satisfies PayloadMessage);
  return ok(undefined);
}

/**
 * The sandbox's simulated customers: signed like Meta's and stored at once (they are
 * produced inside Tuma, off any request Meta waits on); `routeTo` stores the events already
 * routed to that account (a simulated customer).
 */
export async function intakeSignedSandboxPayload(ctx: CoreContext, raw: Uint8Array, signature: string, routeTo: string | null): Promise<Result<IntakeOutcome>> {
  const verified = await verify(ctx, raw, signature, "sandbox");
  if (!verified.ok) return verified;
  const stored = await storePayloads(ctx, [{ text: verified.value, source: "sandbox", routeTo, receivedAt: ctx.clock.now(), payloadId: null }]);
  const fresh = stored.fresh.map((e) => e.id);
  // After the answer: a lost queue message leaves the event `received`, and the cron re-queues it.
  if (fresh.length) ctx.defer(queueEvents(ctx, fresh));
  return ok({ events: stored.events, fresh });
}


export interface PayloadToStore {
  text: string;
  source: PayloadSource;
  routeTo: string | null;
  receivedAt: number;
  /** Set when the raw payload was stored at intake (a large one). */
  payloadId: string | null;
}

/** A stored event as processing reads it. */
export interface StoredEventRow {
  id: string;
  kind: EventKind;
  phone_number_id: string;
  body: string;
  state: "received" | "processed" | "unrouted";
  /** Set at intake for the sandbox's simulated customers (the account that simulated it). */
  account_id: string | null;
  received_at: number;
  attempts: number;
  failure: string | null;
}
export const STORED_EVENT_COLUMNS = "id, kind, phone_number_id, body, state, account_id, received_at, attempts, failure";

/**
 * Stores one row per event of the payloads (UNIQUE on the key Meta's duplicates share); answers
 * the events not seen before, in arrival order. One statement per chunk of events (json_each),
 * whatever their number: a 3 MB payload holds thousands, and an invocation may run 1,000
 * queries. `processingNow`: the caller processes them at once (`processFreshEvent`), so their
 * first attempt is counted here.
 */
export async function storePayloads(ctx: CoreContext, payloads: PayloadToStore[], processingNow = false): Promise<{ events: number; fresh: StoredEventRow[] }> {
  const rows: unknown[][] = [];
  const parsed = payloads.map((p) => ({ payload: JSON.parse(p.text) as unknown, receivedAt: p.receivedAt }));
  for (const [index, p] of payloads.entries()) {
    for (const e of await extractEvents(parsed[index]!.payload)) {
      if (e.invalid) ctx.log.log("warn", "meta_event_invalid", { event_key: e.key, reason: e.invalid });
      const attempts = processingNow && !e.invalid ? 1 : 0;
      rows.push([`evt_${crypto.randomUUID().replace(/-/g, "")}`, e.key, p.payloadId, p.source, e.kind, e.phoneNumberId, JSON.stringify(e.body), p.routeTo, p.receivedAt, e.invalid ? "invalid" : "received", e.invalid ?? null, attempts]);
    }
  }
  // Template reviews are the account's, not a number's events; applied once per change, so a retried batch notifies once.
  for (const { payload, receivedAt } of parsed) await applyTemplateStatusUpdates(ctx, payload, receivedAt);
  if (!rows.length) return { events: 0, fresh: [] };
  const columns = "id, event_key, payload_id, source, kind, phone_number_id, body, account_id, received_at, state, failure, attempts";
  const values = columns.split(", ").map((_, i) => `value ->> ${i}`).join(", ");
  const statements = chunks(rows).map((chunk) =>
    ctx.db
      // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.
      .prepare(`INSERT INTO meta_events (${columns}) SELECT ${values} FROM json_each(?) WHERE true ON CONFLICT (event_key) DO NOTHING RETURNING ${STORED_EVENT_COLUMNS}`)
      .bind(JSON.stringify(chunk)),
  );
  const results = await ctx.db.batch<StoredEventRow>(statements);
  // RETURNING's order is unspecified: arrival order is the order of the ids made above.
  const order = new Map(rows.map((r, i) => [r[0] as string, i]));
  // An invalid event is kept for the operator and never processed: processing it could only fail.
  const fresh = results
    .flatMap((r) => r.results)
    .filter((row) => row.state === "received")
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  ctx.log.log("info", "meta_webhook_stored", { payloads: payloads.length, events: rows.length, fresh: fresh.length });
  return { events: rows.length, fresh };
}

/** At most 500 events and about 1 MB of JSON per statement. */
function chunks(rows: unknown[][]): unknown[][][] {
  const out: unknown[][][] = [];
  let current: unknown[][] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length;
    if (current.length && (current.length >= 500 || bytes + size > 1_000_000)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  out.push(current);
  return out;
}

/** The raw text of a payload stored at intake (a large one). */
export async function storedPayload(ctx: CoreContext, payloadId: string): Promise<string | null> {
  const row = await ctx.db.prepare("SELECT body FROM meta_payloads WHERE id = ?").bind(payloadId).first<{ body: string }>();
  return row?.body ?? null;
}

export async function queueEvents(ctx: CoreContext, eventIds: string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 100) {
    await ctx.env.INBOUND.sendBatch(eventIds.slice(i, i + 100).map((eventId) => ({ body: { kind: INBOUND_EVENT_KIND, eventId } })));
  }
}

/** Cron: re-queues events still unprocessed a while after intake (their queue message was lost); never an invalid or failed one. */
export async function requeueStuckEvents(ctx: CoreContext, limit = 200): Promise<number> {
  const { results } = await ctx.db
    .prepare("SELECT id FROM meta_events WHERE state = 'received' AND received_at < ? ORDER BY received_at LIMIT ?")
    .bind(ctx.clock.now() - STUCK_AFTER_MS, limit)
    .all<{ id: string }>();
  if (results.length) await queueEvents(ctx, results.map((r) => r.id));
  return results.length;
}

const STUCK_AFTER_MS = 5 * 60 * 1000;
