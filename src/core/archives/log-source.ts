import type { CoreContext } from "../../config/context";
import { holdIsHeldSql } from "../../stores/money/holds";

/**
 * Where the archiver reads an account's log records and deletes them once archived: D1 today
 * (messages, inbound_messages, meta_events, deliveries with their attempts). When the log moves
 * into each number's Durable Object, another `LogSource` takes this one's place; the archiver,
 * the object layout and the routes stay as they are.
 */
export type RecordKind = "message" | "inbound_message" | "event" | "delivery";
export const RECORD_KINDS: readonly RecordKind[] = ["message", "inbound_message", "event", "delivery"];

/** One line of an archive: the row as stored (a delivery with its attempts), and its time in ms. */
export interface LogRecord {
  kind: RecordKind;
  id: string;
  at: number;
  record: Record<string, unknown>;
}

/** What a committed archive object holds, recorded with the deletion of its records. */
interface ArchivePart {
  day: string;
  part: number;
  objectKey: string;
  kinds: RecordKind[];
  records: number;
  bytes: number;
  createdAt: number;
}

interface ReadRange {
  from: number;
  to: number;
  /** Only what may leave hot storage (no message whose hold is HELD, nothing still in flight). */
  archivable: boolean;
  /** Exclusive (at, id) cursor within the kind's order. */
  after?: { at: number; id: string };
  limit: number;
}

export interface LogSource {
  /**
   * Accounts with something in hot storage before `before`, after `afterAccount` in id order, at
   * most `limit`. Whether it can go yet is `oldest`'s business.
   */
  accountsWithOld(before: number, afterAccount: string, limit: number): Promise<string[]>;
  /** Time of the account's oldest archivable record before `before`, or null. */
  oldest(accountId: string, before: number): Promise<number | null>;
  read(accountId: string, kind: RecordKind, range: ReadRange): Promise<LogRecord[]>;
  nextPart(accountId: string, day: string): Promise<number>;
  /** Records `part` and deletes exactly `records`, atomically: all of it or nothing. */
  commit(accountId: string, part: ArchivePart, records: LogRecord[]): Promise<void>;
}

interface KindTable {
  table: string;
  id: string;
  at: string;
  /** SQL condition on `t`: the row may leave hot storage. */
  archivable: string;
  /** The row has been through the body scrub (or never had a body). */
  scrubbed: string;
  /** What changes whenever the row does (SQL on `t`, and the same from a row read). */
  version: { sql: string; of: (row: Record<string, unknown>) => string };
}

const stamped = (state: string, stamp: string) => ({ sql: `t.${state} || ':' || t.${stamp}`, of: (row: Record<string, unknown>) => `${String(row[state])}:${String(row[stamp])}` });

const TABLES: Record<RecordKind, KindTable> = {
  // A message whose hold is still HELD has money in flight: it stays until settled.
  message: { table: "messages", id: "id", at: "created_at", archivable: `t.status != 'pending' AND NOT ${holdIsHeldSql("t.account_id", "t.id")}`, scrubbed: "1", version: stamped("status", "updated_at") },
  inbound_message: { table: "inbound_messages", id: "wamid", at: "received_at", archivable: "1", scrubbed: "t.scrubbed = 1", version: stamped("scrubbed", "received_at") },
  event: { table: "meta_events", id: "id", at: "received_at", archivable: "t.state != 'received'", scrubbed: "(t.kind != 'message' OR t.scrubbed = 1)", version: stamped("state", "attempts") },
  // A delivery is scrubbed with its message event (src/core/archives/scrub.ts).
  delivery: {
    table: "deliveries",
    id: "id",
    at: "created_at",
    archivable: "t.state != 'pending'",
    scrubbed: "NOT EXISTS (SELECT 1 FROM meta_events e WHERE e.id = t.event_id AND e.kind = 'message' AND e.scrubbed = 0)",
    version: stamped("state", "updated_at"),
  },
};

/**
 * `bodiesScrubbed`: bodies are kept for less than the records (MESSAGE_BODY_RETENTION_DAYS), so a
 * row is archivable only once the scrub has been through it, and no archive holds a body.
 */
export function d1LogSource(ctx: CoreContext, bodiesScrubbed: boolean): LogSource {
  const archivable = (k: KindTable) => (bodiesScrubbed ? `(${k.archivable}) AND ${k.scrubbed}` : k.archivable);
  return {
    // Each check is a MIN over an (account, time) index.
    async accountsWithOld(before, afterAccount, limit) {
      const older = RECORD_KINDS.map((kind) => `(SELECT MIN(${TABLES[kind].at}) FROM ${TABLES[kind].table} WHERE account_id = a.id) < ?2`);
      const { results } = await ctx.db
        .prepare(`SELECT a.id FROM accounts a WHERE a.id > ?1 AND (${older.join(" OR ")}) ORDER BY a.id LIMIT ?3`)
        .bind(afterAccount, before, limit)
        .all<{ id: string }>();
      return results.map((r) => r.id);
    },

    async oldest(accountId, before) {
      const mins = RECORD_KINDS.map((kind) => {
        const k = TABLES[kind];
        return `SELECT MIN(t.${k.at}) AS at FROM ${k.table} t WHERE t.account_id = ?1 AND t.${k.at} < ?2 AND ${archivable(k)}`;
      });
      const row = await ctx.db.prepare(`SELECT MIN(at) AS at FROM (${mins.join(" UNION ALL ")})`).bind(accountId, before).first<{ at: number | null }>();
      return row?.at ?? null;
    },

    async read(accountId, kind, range) {
      const k = TABLES[kind];
      const after = range.after ?? { at: -1, id: "" };
      const { results } = await ctx.db
        .prepare(
          `SELECT t.* FROM ${k.table} t WHERE t.account_id = ?1 AND t.${k.at} >= ?2 AND t.${k.at} < ?3
             AND (t.${k.at} > ?4 OR (t.${k.at} = ?4 AND t.${k.id} > ?5)) AND ${range.archivable ? archivable(k) : "1"}
           ORDER BY t.${k.at}, t.${k.id} LIMIT ?6`,
        )
        .bind(accountId, range.from, Math.min(range.to, Number.MAX_SAFE_INTEGER), after.at, after.id, range.limit)
        .all<Record<string, unknown>>();
      const records = results.map((row) => ({ kind, id: String(row[k.id]), at: Number(row[k.at]), record: row }));
      if (kind === "delivery" && records.length) await attachAttempts(ctx, records);
      return records;
    },

    async nextPart(accountId, day) {
      const row = await ctx.db.prepare("SELECT COALESCE(MAX(part), 0) + 1 AS part FROM archives WHERE account_id = ? AND day = ?").bind(accountId, day).first<{ part: number }>();
      return row?.part ?? 1;
    },

    async commit(accountId, part, records) {
      const of = (kind: RecordKind) => records.filter((r) => r.kind === kind);
      const ids = (kind: RecordKind) => JSON.stringify(of(kind).map((r) => r.id));
      // Every record is still as it was read (a replayed delivery, a late status would not be).
      const unchanged = RECORD_KINDS.map((kind) => {
        const k = TABLES[kind];
        const versions = JSON.stringify(of(kind).map((r) => [r.id, k.version.of(r.record)]));
        return {
          sql: `(SELECT COUNT(*) FROM ${k.table} t JOIN json_each(?) j ON t.${k.id} = j.value ->> 0 AND ${k.version.sql} = j.value ->> 1 WHERE t.account_id = ?) = ?`,
          params: [versions, accountId, of(kind).length],
        };
      });
      const recorded = "EXISTS (SELECT 1 FROM archives WHERE account_id = ?1 AND day = ?3 AND part = ?4)";
      const remove = (kind: RecordKind) => {
        const k = TABLES[kind];
        return ctx.db.prepare(`DELETE FROM ${k.table} WHERE account_id = ?1 AND ${k.id} IN (SELECT value FROM json_each(?2)) AND ${recorded}`).bind(accountId, ids(kind), part.day, part.part);
      };
      // One transaction. The part is recorded only if none of its records changed since they were
      // read, and a clash (another run recorded it) fails the whole batch; rows are deleted only if
      // the part is recorded. Otherwise the object stays unlisted and the next run rewrites it.
      const [insert] = await ctx.db.batch([
        ctx.db
          .prepare(`INSERT INTO archives (account_id, day, part, object_key, kinds, records, bytes, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${unchanged.map((u) => u.sql).join(" AND ")}`)
          .bind(accountId, part.day, part.part, part.objectKey, JSON.stringify(part.kinds), part.records, part.bytes, part.createdAt, ...unchanged.flatMap((u) => u.params)),
        ctx.db
          .prepare(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT value FROM json_each(?2)) AND ${recorded}`)
          .bind(accountId, ids("delivery"), part.day, part.part),
        ...RECORD_KINDS.map(remove),
        // A key of an archived message would answer nothing, yet stay claimed: it goes with it.
        ctx.db.prepare(`DELETE FROM idempotency_keys WHERE account_id = ?1 AND message_id IN (SELECT value FROM json_each(?2)) AND ${recorded}`).bind(accountId, ids("message"), part.day, part.part),
      ]);
      if (!insert?.meta.changes) throw new Error(`archive ${part.objectKey}: records changed while being archived; the next run writes the part again`);
    },
  };
}

async function attachAttempts(ctx: CoreContext, deliveries: LogRecord[]): Promise<void> {
  const { results } = await ctx.db
    .prepare("SELECT * FROM delivery_attempts WHERE delivery_id IN (SELECT value FROM json_each(?1)) ORDER BY delivery_id, attempt")
    .bind(JSON.stringify(deliveries.map((d) => d.id)))
    .all<Record<string, unknown>>();
  for (const d of deliveries) d.record = { ...d.record, attempts: results.filter((a) => a.delivery_id === d.id) };
}
