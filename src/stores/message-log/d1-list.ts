import type { LogEntry, LogFilter } from "./model";

/**
 * The account's log in D1, newest first: its sends and what customers wrote, each side on its own
 * (account, time) index; the cursor is (time, id).
 */
export async function listD1Log(db: D1Database, accountId: string, f: LogFilter): Promise<LogEntry[]> {
  const page = (at: string, id: string) => `${at} >= ?6 AND ${at} < ?7 AND (${at} < ?8 OR (${at} = ?8 AND ${id} < ?9))`;
  const { results } = await db
    .prepare(
      `SELECT * FROM (
         SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content, created_at AS at
         FROM messages WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR wa_id = ?3) AND (?4 IS NULL OR status = ?4)
           AND (?5 IS NULL OR ?5 = 'outbound') AND ${page("created_at", "id")}
         UNION ALL
         SELECT 'inbound', wamid, wamid, phone_number_id, from_wa_id, NULL, type, NULL, NULL, NULL, NULL, content, received_at
         FROM inbound_messages WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR from_wa_id = ?3) AND ?4 IS NULL
           AND (?5 IS NULL OR ?5 = 'inbound') AND ${page("received_at", "wamid")}
       ) ORDER BY at DESC, id DESC LIMIT ?10`,
    )
    .bind(
      accountId,
      f.phoneNumberId ?? null,
      f.waId ?? null,
      f.status ?? null,
      f.direction ?? null,
      f.since ?? 0,
      f.until ?? Number.MAX_SAFE_INTEGER,
      f.before?.at ?? Number.MAX_SAFE_INTEGER,
      f.before?.id ?? "\uffff",
      f.limit,
    )
    .all<LogEntry>();
  return results;
}
