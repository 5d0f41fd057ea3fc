import { env } from "cloudflare:workers";
import { DAY } from "../../src/lib/clock";
import { postHoldStatement, reserveHoldStatement } from "../../src/stores/money/holds";
import { fund } from "../messages/helpers";

/** A record seeded in hot storage, as the archive should hold it: kind, id, and whether it may leave. */
export interface Seeded {
  kind: "message" | "inbound_message" | "event" | "delivery";
  id: string;
  at: number;
  archivable: boolean;
}

const db = () => env.DB;
let seq = 0;
const uid = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(seq += 1)}${Math.random().toString(36).slice(2, 7)}`;

/**
 * One day's worth of an account's log at `at`: a paid message (hold POSTED) and a free one, an
 * inbound message, its processed Meta event and a delivered client delivery with two attempts.
 * `held`: the paid message's hold stays HELD (money in flight). `inFlight`: the event is still
 * `received` and the delivery `pending`. Those may not leave hot storage.
 */
export async function seedDay(accountId: string, at: number, options: { held?: boolean; inFlight?: boolean; endpointId: string }): Promise<Seeded[]> {
  const paid = uid("msg");
  const free = uid("msg");
  const wamid = uid("wamid.in");
  const eventId = uid("evt");
  const deliveryId = uid("dlv");
  const message = (id: string, charged: boolean) =>
    db()
      .prepare(
        `INSERT INTO messages (id, account_id, phone_number_id, upstream, to_input, wa_id, type, category, wamid, status, hold_reference, charge_currency, charge_amount, created_at, updated_at)
         VALUES (?, ?, '1555000', 'sandbox', '243811111111', '243811111111', 'template', 'utility', ?, 'read', ?, ?, ?, ?, ?)`,
      )
      .bind(id, accountId, uid("wamid.out"), charged ? id : null, charged ? "CDF" : null, charged ? 60 : null, at, at);
  const item = { from: "243822222222", id: wamid, timestamp: String(Math.floor(at / 1000)), type: "text", text: { body: "Mon code secret est 4242" } };
  const eventBody = { metadata: { phone_number_id: "1555000" }, contact: { profile: { name: "Awa" }, wa_id: "243822222222" }, item };
  const canonical = { id: eventId, type: "message.received", message: { id: wamid, type: "text", profile_name: "Awa", content: item } };
  await fund(accountId, "CDF", 60);
  await db().batch([
    message(paid, true),
    message(free, false),
    reserveHoldStatement(db(), { accountId, currency: "CDF", amount: 60, reference: paid, expiresAt: at + DAY, now: at }),
    ...(options.held ? [] : [postHoldStatement(db(), accountId, paid, at)]),
    db()
      .prepare(
        `INSERT INTO inbound_messages (wamid, account_id, phone_number_id, from_wa_id, profile_name, type, content, sent_at, received_at)
         VALUES (?, ?, '1555000', '243822222222', 'Awa', 'text', ?, ?, ?)`,
      )
      .bind(wamid, accountId, JSON.stringify(item), at, at),
    db()
      .prepare(
        `INSERT INTO meta_events (id, event_key, kind, phone_number_id, body, state, account_id, received_at, processed_at)
         VALUES (?, ?, 'message', '1555000', ?, ?, ?, ?, ?)`,
      )
      .bind(eventId, wamid, JSON.stringify(eventBody), options.inFlight ? "received" : "processed", accountId, at, options.inFlight ? null : at),
    db()
      .prepare(
        `INSERT INTO deliveries (id, account_id, endpoint_id, event_id, event, state, attempts, next_attempt_at, window_started_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?)`,
      )
      .bind(deliveryId, accountId, options.endpointId, eventId, JSON.stringify(canonical), options.inFlight ? "pending" : "delivered", at, at, at, at),
    db().prepare("INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, duration_ms) VALUES (?, 1, ?, 500, 12), (?, 2, ?, 200, 9)").bind(deliveryId, at, deliveryId, at),
  ]);
  return [
    { kind: "message", id: paid, at, archivable: !options.held },
    { kind: "message", id: free, at, archivable: true },
    { kind: "inbound_message", id: wamid, at, archivable: true },
    { kind: "event", id: eventId, at, archivable: !options.inFlight },
    { kind: "delivery", id: deliveryId, at, archivable: !options.inFlight },
  ];
}

export async function seedEndpoint(accountId: string, at: number): Promise<string> {
  const id = uid("whe");
  await db()
    .prepare("INSERT INTO webhook_endpoints (id, account_id, format, url, created_at, updated_at) VALUES (?, ?, 'native', 'https://hooks.example.com/wa', ?, ?)")
    .bind(id, accountId, at, at)
    .run();
  return id;
}

/** Every (kind, id) still in hot storage for the account. */
export async function hotRecords(accountId: string): Promise<string[]> {
  const { results } = await db()
    .prepare(
      `SELECT 'message:' || id AS k FROM messages WHERE account_id = ?1
       UNION ALL SELECT 'inbound_message:' || wamid FROM inbound_messages WHERE account_id = ?1
       UNION ALL SELECT 'event:' || id FROM meta_events WHERE account_id = ?1
       UNION ALL SELECT 'delivery:' || id FROM deliveries WHERE account_id = ?1`,
    )
    .bind(accountId)
    .all<{ k: string }>();
  return results.map((r) => r.k).sort();
}

export interface ArchiveLine {
  kind: Seeded["kind"];
  at: number;
  record: Record<string, unknown>;
}

/** Every line of every R2 object under the account's prefix, recorded or not. */
export async function linesInBucket(accountId: string): Promise<{ keys: string[]; lines: ArchiveLine[] }> {
  const listed = await env.ARCHIVES.list({ prefix: `${accountId}/` });
  const lines: ArchiveLine[] = [];
  for (const o of listed.objects) {
    const text = await (await env.ARCHIVES.get(o.key))!.text();
    lines.push(...text.trimEnd().split("\n").map((l) => JSON.parse(l) as ArchiveLine));
  }
  return { keys: listed.objects.map((o) => o.key), lines };
}

export const keyOf = (l: { kind: string; record: Record<string, unknown> }) => `${l.kind}:${String(l.kind === "inbound_message" ? l.record.wamid : l.record.id)}`;

/** The database, counting every statement run through it (one per statement of a batch). */
export function countingStatements(db: D1Database): { db: D1Database; count: () => number } {
  let n = 0;
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const counted =
      <R>(run: () => Promise<R>) =>
      () => ((n += 1), run());
    const w = {
      bind: (...args: unknown[]) => wrap(s.bind(...args)),
      first: (column?: string) => ((n += 1), column === undefined ? s.first() : s.first(column)),
      run: counted(() => s.run()),
      all: counted(() => s.all()),
    };
    real.set(w, s);
    return w as unknown as D1PreparedStatement;
  };
  const counting = {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: (list: D1PreparedStatement[]) => ((n += list.length), db.batch(list.map((s) => real.get(s) ?? s))),
    exec: (query: string) => db.exec(query),
  } as unknown as D1Database;
  return { db: counting, count: () => n };
}
