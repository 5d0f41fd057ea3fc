import type { Currency } from "../../lib/money";
import type { CoreContext } from "../../config/context";
import { findLedgerPage, findWallets, type LedgerPage, type WalletRow } from "../../stores/money/wallets";

export type { LedgerEntryRow, WalletRow } from "../../stores/money/wallets";

/** What a wallet can spend now: its balance less what holds reserve (the CHECK `wallet_held_within_balance`). */
export const available = (wallet: Pick<WalletRow, "balance" | "held">) => wallet.balance - wallet.held;

/** The account's wallets, one per currency it ever held. */
export const listWallets = (ctx: CoreContext, accountId: string): Promise<WalletRow[]> => findWallets(ctx.db, accountId);

/** The account's statement, newest first, `limit` entries at a time. */
export const ledgerPage = (ctx: CoreContext, accountId: string, options: { limit: number; before?: number; currency?: Currency }): Promise<LedgerPage> =>
  findLedgerPage(ctx.db, accountId, options);
