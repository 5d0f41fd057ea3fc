import { fail, ok, type Result } from "../../lib/errors";
import { formatAmount, type Currency } from "../../lib/money";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { priceOptions, type MessageCategory } from "../../stores/money/prices";
import { requireActivePlan } from "../plans/subscription";

/** What one message costs: its hold's amount, in minor units of `currency`. */
export interface Charge {
  currency: Currency;
  amount: number;
}

/**
 * The one charging decision, for a single send and for each recipient of a campaign alike: what
 * one of `count` messages of `category` through `upstream` costs this account, null when free.
 *
 * - Through the sandbox, messages are free unless SANDBOX_CHARGES=true, which prices them as a
 *   live upstream's (benchmarks, billing trials).
 * - A category with no price, or a zero price in some currency, is free.
 * - Otherwise the price is taken in the first currency whose wallet can pay all `count` of them,
 *   and `insufficient_funds` when none can. This read only chooses the currency: the holds'
 *   insert is what guarantees the funds.
 * - A paid message needs an active plan or trial (`plan_inactive`).
 */
export async function chargeFor(
  ctx: CoreContext,
  accountId: string,
  message: { upstream: UpstreamKind; category: MessageCategory; count?: number },
): Promise<Result<Charge | null>> {
  if (message.upstream === "sandbox" && !ctx.config.SANDBOX_CHARGES) return ok(null);
  const count = message.count ?? 1;
  const options = await priceOptions(ctx.db, accountId, message.category);
  if (options.length === 0 || options.some((p) => p.amount === 0)) return ok(null);
  const payable = options.find((p) => p.available !== null && p.available >= p.amount * count);
  if (!payable) {
    const held = options.filter((p) => p.available !== null);
    const prices = (held.length ? held : options).map((p) => `${formatAmount(p.amount, p.currency)} ${p.currency}`);
    const funds = held.map((p) => `${formatAmount(p.available!, p.currency)} ${p.currency}`);
    const what = count === 1 ? `a ${message.category} message costs` : `${count} ${message.category} messages cost ${count} ×`;
    return fail("insufficient_funds", `Insufficient funds: ${what} ${prices.join(" or ")}; available: ${funds.join(", ") || "nothing"}`);
  }
  const plan = await requireActivePlan(ctx, accountId);
  if (!plan.ok) return plan;
  return ok({ currency: payable.currency, amount: payable.amount });
}

/**
 * The answer when the holds' insert found the wallet short after all (another payment came
 * first): for one message, or for a campaign's `count`.
 */
export function insufficientFunds(charge: Charge, count?: number): Result<never> {
  const total = `${formatAmount(charge.amount * (count ?? 1), charge.currency)} ${charge.currency}`;
  return fail("insufficient_funds", `Insufficient funds: ${count === undefined ? "this message costs" : `${count} messages cost`} ${total}`);
}
