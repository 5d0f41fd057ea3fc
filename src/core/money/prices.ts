import type { Currency } from "../../lib/money";
import type { CoreContext } from "../../config/context";
import { findPrices, savePrices, type MessageCategory, type PriceRow } from "../../stores/money/prices";

export { MESSAGE_CATEGORIES, type MessageCategory, type PriceRow } from "../../stores/money/prices";

/** The operator's message prices (sandbox sends are free unless SANDBOX_CHARGES=true: see charging.ts). */
export const listPrices = (ctx: CoreContext): Promise<PriceRow[]> => findPrices(ctx.db);

/** Sets (or, with null, removes) the category's price in each named currency; returns the category's prices. */
export const setPrices = (ctx: CoreContext, category: MessageCategory, prices: Partial<Record<Currency, number | null>>): Promise<PriceRow[]> =>
  savePrices(ctx.db, category, prices, ctx.clock.now());
