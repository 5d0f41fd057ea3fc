import { accountColumnsOf, type AccountRow } from "./accounts";

/**
 * The operator's directory of accounts: by id_user (exact) or by a part of the name, in id order,
 * `limit` at a time; the cursor is the last id of the previous page.
 */
export async function searchAccountRows(db: D1Database, f: { q?: string; after?: string; limit: number }): Promise<AccountRow[]> {
  const q = f.q?.trim().toLowerCase() || null;
  const like = q === null ? null : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { results } = await db
    .prepare(
      `SELECT ${accountColumnsOf("a")} FROM accounts a
       WHERE a.id > ?1 AND (?2 IS NULL OR a.id = ?2 OR a.name_key LIKE ?3 ESCAPE '\\')
       ORDER BY a.id LIMIT ?4`,
    )
    .bind(f.after ?? "", q, like, f.limit)
    .all<AccountRow>();
  return results;
}
