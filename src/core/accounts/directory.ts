import type { CoreContext } from "../../config/context";
import { searchAccountRows } from "../../stores/account-search";
import type { AccountRow } from "../../stores/accounts";
import { findWalletsOf, type WalletRow } from "../../stores/money/wallets";

/** The operator's search over every account, each with its wallets. */
export async function searchAccounts(
  ctx: CoreContext,
  f: { q?: string; cursor?: string; limit: number },
): Promise<{ accounts: { account: AccountRow; wallets: WalletRow[] }[]; nextCursor: string | null }> {
  const rows = await searchAccountRows(ctx.db, { q: f.q, after: f.cursor, limit: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  const wallets = await findWalletsOf(ctx.db, page.map((a) => a.id));
  return {
    accounts: page.map((account) => ({ account, wallets: wallets.filter((w) => w.account_id === account.id) })),
    nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}
