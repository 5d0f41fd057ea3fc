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
