import type { Currency } from "../../lib/money";

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

export async function findPrices(db: D1Database): Promise<PriceRow[]> {
  const { results } = await db.prepare("SELECT category, currency, amount, updated_at FROM prices ORDER BY category, currency").all<PriceRow>();
  return results;
}

/** Sets (or, with null, removes) the category's price in each named currency, in one batch. */
export async function savePrices(db: D1Database, category: MessageCategory, prices: Partial<Record<Currency, number | null>>, now: number): Promise<PriceRow[]> {
  const statements = Object.entries(prices).map(([currency, amount]) =>
    amount === null
      ? db.prepare("DELETE FROM prices WHERE category = ? AND currency = ?").bind(category, currency)
      : db
          .prepare(
            `INSERT INTO prices (category, currency, amount, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (category, currency) DO UPDATE SET amount = excluded.amount, updated_at = excluded.updated_at`,
          )
          .bind(category, currency, amount, now),
  );
  if (statements.length) await db.batch(statements);
  return (await findPrices(db)).filter((p) => p.category === category);
}

export interface PriceOption {
  currency: Currency;
  amount: number;
  /** What the account's wallet in that currency can spend now; null when it has none. */
  available: number | null;
}

/** The category's price in each currency, beside what the account has available in it: one read. */
export async function priceOptions(db: D1Database, accountId: string, category: MessageCategory): Promise<PriceOption[]> {
  const { results } = await db
    .prepare(
      `SELECT p.currency, p.amount, w.balance - w.held AS available FROM prices p
       LEFT JOIN wallets w ON w.account_id = ?1 AND w.currency = p.currency
       WHERE p.category = ?2 ORDER BY p.currency`,
    )
    .bind(accountId, category)
    .all<PriceOption>();
  return results;
}
