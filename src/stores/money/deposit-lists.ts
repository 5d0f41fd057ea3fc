import type { DepositRow } from "./deposits";

/**
 * Lists of deposits: one account's, newest first (the console's top-up history), and every
 * account's by status (the operator's pending deposits). The cursor is `<created_at>.<id>`.
 */
export async function findDepositPage(
  db: D1Database,
  f: { accountId?: string; status?: DepositRow["status"]; before?: { at: number; id: string }; limit: number },
): Promise<DepositRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM deposits
       WHERE (?1 IS NULL OR account_id = ?1) AND (?2 IS NULL OR status = ?2)
         AND (created_at < ?3 OR (created_at = ?3 AND id < ?4))
       ORDER BY created_at DESC, id DESC LIMIT ?5`,
    )
    .bind(f.accountId ?? null, f.status ?? null, f.before?.at ?? Number.MAX_SAFE_INTEGER, f.before?.id ?? "", f.limit)
    .all<DepositRow>();
  return results;
}

/** Completed deposits per UTC day and currency since `since` (by completion), every account. */
export async function findDepositsPerDay(db: D1Database, since: number): Promise<{ day: string; currency: string; count: number; amount: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT date(completed_at / 1000, 'unixepoch') AS day, currency, COUNT(*) AS count, SUM(amount) AS amount
       FROM deposits WHERE status = 'COMPLETED' AND completed_at >= ? GROUP BY day, currency ORDER BY day, currency`,
    )
    .bind(since)
    .all<{ day: string; currency: string; count: number; amount: number }>();
  return results;
}

/** How many deposits are still PENDING, every account. */
export async function countPendingDeposits(db: D1Database): Promise<number> {
  const row = await db.prepare("SELECT COUNT(*) AS n FROM deposits WHERE status = 'PENDING'").first<{ n: number }>();
  return row?.n ?? 0;
}
