import type { SqlSelect } from "./select";

/**
 * The audit log of operator changes (migrations/0023_operator_console.sql): append-only, each
 * entry written in the same D1 batch as the change it records.
 */
export interface AuditRow {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
}

/**
 * Records an entry; with `onlyIf`, only while that SELECT finds a row (the change it records took
 * effect earlier in the same batch). A statement.
 */
export function insertAuditStatement(db: D1Database, entry: AuditRow, onlyIf?: SqlSelect): D1PreparedStatement {
  const values = [entry.id, entry.at, entry.actor, entry.action, entry.target, entry.before_json, entry.after_json, entry.reason];
  const insert = "INSERT INTO audit_log (id, at, actor, action, target, before_json, after_json, reason)";
  if (!onlyIf) return db.prepare(`${insert} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).bind(...values);
  return db.prepare(`${insert} SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${onlyIf.sql})`).bind(...values, ...onlyIf.params);
}

/** Entries newest first, `limit` at a time, optionally of one target; the cursor is the last entry's rowid. */
export async function findAuditPage(
  db: D1Database,
  options: { limit: number; before?: number; target?: string },
): Promise<{ entries: AuditRow[]; nextCursor: number | null }> {
  const rows = await db
    .prepare(
      `SELECT rowid AS seq, id, at, actor, action, target, before_json, after_json, reason FROM audit_log
       WHERE rowid < ?1 AND (?2 IS NULL OR target = ?2) ORDER BY rowid DESC LIMIT ?3`,
    )
    .bind(options.before ?? Number.MAX_SAFE_INTEGER, options.target ?? null, options.limit + 1)
    .all<AuditRow & { seq: number }>();
  const page = rows.results.slice(0, options.limit);
  return {
    entries: page.map(({ seq: _seq, ...entry }) => entry),
    nextCursor: rows.results.length > options.limit ? page[page.length - 1]!.seq : null,
  };
}
