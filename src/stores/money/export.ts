/**
 * An account's money rows for the operator's export, a page at a time in write order (rowid):
 * they are never archived nor deleted, so the export reads them here. Columns as stored.
 */
export const MONEY_KINDS = {
  wallet: { table: "wallets", at: "updated_at" },
  ledger_entry: { table: "ledger_entries", at: "created_at" },
  hold: { table: "holds", at: "created_at" },
  deposit: { table: "deposits", at: "created_at" },
} as const;
export type MoneyKind = keyof typeof MONEY_KINDS;

export async function moneyRowsPage(db: D1Database, accountId: string, kind: MoneyKind, afterRowid: number, limit: number): Promise<{ rowid: number; at: number; row: Record<string, unknown> }[]> {
  const { table, at } = MONEY_KINDS[kind];
  const { results } = await db
    .prepare(`SELECT rowid AS export_rowid, * FROM ${table} WHERE account_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`)
    .bind(accountId, afterRowid, limit)
    .all<Record<string, unknown>>();
  return results.map(({ export_rowid, ...row }) => ({ rowid: Number(export_rowid), at: Number(row[at]), row }));
}
