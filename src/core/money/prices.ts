import { fail, ok, type Result } from "../../lib/errors";
import { formatAmount, type Currency } from "../../lib/money";
import type { CoreContext } from "../../config/context";

/**
 * What one message costs, per category (Meta's pricing categories, reference §7.1) and currency,
 * in minor units. Seeded by migrations/0005_messages.sql and edited through the admin API.
 */
export const MESSAGE_CATEGORIES = ["marketing", "utility", "authentication", "service"] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

export interface PriceRow {
  category: MessageCategory;
  currency: Currency;
  amount: number;
  updated_at: number;
}

export async function listPrices(ctx: CoreContext): Promise<PriceRow[]> {
  const { results } = await ctx.db.prepare("SELECT category, currency, amount, updated_at FROM prices ORDER BY category, currency").all<PriceRow>();
  return results;
}

/** Sets (or, with null, removes) the category's price in each named currency, in one batch. */
export async function setPrices(ctx: CoreContext, category: MessageCategory, prices: Partial<Record<Currency, number | null>>): Promise<PriceRow[]> {
  const now = ctx.clock.now();
  const statements = Object.entries(prices).map(([currency, amount]) =>
    amount === null
      ? ctx.db.prepare("DELETE FROM prices WHERE category = ? AND currency = ?").bind(category, currency)
      : ctx.db
          .prepare(
            `INSERT INTO prices (category, currency, amount, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (category, currency) DO UPDATE SET amount = excluded.amount, updated_at = excluded.updated_at`,
          )
          .bind(category, currency, amount, now),
  );
  if (statements.length) await ctx.db.batch(statements);
  return (await listPrices(ctx)).filter((p) => p.category === category);
}

export interface Charge {
  currency: Currency;
  amount: number;
}

/**
 * What a message of `category` will cost this account: null when it is free (no price, or a zero
 * price in some currency), else the price in the first currency whose wallet can pay `count` of
 * them (a campaign). This read only chooses the currency; the holds' insert guarantees the funds.
 */
export async function chargeFor(ctx: CoreContext, accountId: string, category: MessageCategory, count = 1): Promise<Result<Charge | null>> {
  const { results } = await ctx.db
    .prepare(
      `SELECT p.currency, p.amount, w.balance - w.held AS available FROM prices p
       LEFT JOIN wallets w ON w.account_id = ?1 AND w.currency = p.currency
       WHERE p.category = ?2 ORDER BY p.currency`,
    )
    .bind(accountId, category)
    .all<{ currency: Currency; amount: number; available: number | null }>();
  if (results.length === 0 || results.some((p) => p.amount === 0)) return ok(null);
  const payable = results.find((p) => p.available !== null && p.available >= p.amount * count);
  if (payable) return ok({ currency: payable.currency, amount: payable.amount });
  const held = results.filter((p) => p.available !== null);
  const prices = (held.length ? held : results).map((p) => `${formatAmount(p.amount, p.currency)} ${p.currency}`);
  const funds = held.map((p) => `${formatAmount(p.available!, p.currency)} ${p.currency}`);
  const what = count === 1 ? `a ${category} message costs` : `${count} ${category} messages cost ${count} ×`;
  return fail("insufficient_funds", `Insufficient funds: ${what} ${prices.join(" or ")}; available: ${funds.join(", ") || "nothing"}`);
}
