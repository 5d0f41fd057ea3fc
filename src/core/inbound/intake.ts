import type { Config } from "../../config/env";
import { fail, ok, type Result } from "../../lib/errors";
import { hmacSha256Hex, sha256Hex, timingSafeEqualText } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import { extractEvents } from "../../upstreams/whatsapp/webhook-payload";
import { applyTemplateStatusUpdates } from "../templates/status-updates";

/**
 * Meta's webhook intake (reference §6.2–6.3): the signature is checked over the exact bytes
 * before anything is parsed or stored; a valid payload is stored (raw, and one row per event,
 * UNIQUE on the key Meta's duplicates share) before it is acknowledged, and processed later from
 * the INBOUND queue. The sandbox's statuses and simulated customers come through here too,
 * signed with the same secret.
 */
export const INBOUND_EVENT_KIND = "meta_event";
export const SIGNATURE_HEADER = "X-Hub-Signature-256";

/** Meta allows payloads up to 3 MB. */
export const MAX_META_PAYLOAD_BYTES = 3 * 1024 * 1024;

export type PayloadSource = "meta" | "sandbox";

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

/**
 * Verifies, stores and queues one payload. `unauthorized` stores nothing. `routeTo` (the sandbox's
 * simulated customers only) stores the events already routed to that account.
 */
export async function intakeMetaPayload(
  ctx: CoreContext,
  raw: Uint8Array,
  signature: string | null,
  source: PayloadSource = "meta",
  routeTo: string | null = null,
): Promise<Result<IntakeOutcome>> {
  // In production the sandbox's default secret is public: only Meta's own app secret opens the door.
  const closed = source === "meta" && ctx.config.production && !ctx.config.META_APP_SECRET;
  if (closed || !(await verifyMetaSignature(ctx.config, raw, signature))) {
    ctx.log.log("warn", "meta_webhook_bad_signature", { present: signature !== null, bytes: raw.byteLength });
    return fail("unauthorized", `Missing or invalid ${SIGNATURE_HEADER}`);
  }
  const text = new TextDecoder().decode(raw);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return fail("malformed_body", "The payload is not JSON");
  }
  const payloadId = await sha256Hex(text);
  const now = ctx.clock.now();
  const events = await extractEvents(payload);
  const statements = [
    ctx.db.prepare("INSERT INTO meta_payloads (id, body, source, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING").bind(payloadId, text, source, now),
    ...events.map((e) =>
      ctx.db
        .prepare(
          `INSERT INTO meta_events (id, event_key, payload_id, kind, phone_number_id, body, account_id, received_at, state, failure)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING RETURNING id, state`,
        )
        .bind(`evt_${crypto.randomUUID().replace(/-/g, "")}`, e.key, payloadId, e.kind, e.phoneNumberId, JSON.stringify(e.body), routeTo, now, e.invalid ? "invalid" : "received", e.invalid ?? null),
    ),
  ];
  const results = await ctx.db.batch<{ id: string; state: string }>(statements);
  const stored = results.slice(1).flatMap((r) => r.results);
  // An invalid event is kept for the operator and never queued: processing it could only fail.
  const fresh = stored.filter((row) => row.state === "received").map((row) => row.id);
  for (const e of events.filter((e) => e.invalid)) ctx.log.log("warn", "meta_event_invalid", { event_key: e.key, reason: e.invalid });
  // After the answer: a lost queue message leaves the event `received`, and the cron re-queues it.
  if (fresh.length) ctx.defer(queueEvents(ctx, fresh));
  // Template reviews are the account's, not a number's: told after the answer (the payload is stored).
  ctx.defer(applyTemplateStatusUpdates(ctx, payload, now));
  ctx.log.log("info", "meta_webhook_stored", { source, events: events.length, fresh: fresh.length });
  return ok({ events: events.length, fresh });
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
