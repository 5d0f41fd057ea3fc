import { DAY, utcDateAndTime } from "../../lib/clock";
import { fail, ok, type Result } from "../../lib/errors";
import { formatAmount, type Currency } from "../../lib/money";
import { duePlanUnchanged, extendDuePlanStatement, findDuePlans, lapseAutoPay, renewPlanStatement, type DuePlan } from "../../stores/accounts";
import { forgetAccountSessions } from "../credentials/tokens";
import { getAccount, type AccountRow } from "../accounts/accounts";
import type { CoreContext } from "../../config/context";
import { isDuplicateReference, isFundsViolation, renewalDebitStatement } from "../../stores/money/wallets";
import { available, listWallets } from "../money/wallets";
import { isPlanCode, listPlans, type Plan, type PlanCode } from "./plans";

export interface SubscriptionView {
  plan: string;
  expiresAt: number;
  autoPay: boolean;
  /** The account may use paid actions: its plan or trial has not expired. */
  active: boolean;
}

export function subscriptionOf(
  account: { plan: string; plan_expires_at: number; auto_pay: number },
  now: number,
): SubscriptionView {
  return {
    plan: account.plan,
    expiresAt: account.plan_expires_at,
    autoPay: account.auto_pay === 1,
    active: account.plan_expires_at > now,
  };
}

/** The one check before any paid action: an active plan or trial, else `plan_inactive`. */
export async function requireActivePlan(ctx: CoreContext, accountId: string): Promise<Result<SubscriptionView>> {
  const account = await getAccount(ctx, accountId);
  if (!account.ok) return account;
  const subscription = subscriptionOf(account.value, ctx.clock.now());
  if (subscription.active) return ok(subscription);
  const { date, time } = utcDateAndTime(subscription.expiresAt);
  return fail("plan_inactive", `The ${subscription.plan} plan expired on ${date} at ${time} UTC; renew it to use paid actions`);
}

export interface Renewal {
  account: AccountRow;
  /** What was debited (amount in minor units; 0 for a free plan). */
  charged: { currency: Currency; amount: number };
}

/**
 * Debits the plan's price and extends the expiry by its period, from the current expiry while the
 * plan is still active, from now otherwise; in one batch, so either both happen or neither.
 * Without `currency`, the first wallet that can pay is used.
 */
export async function renewPlan(
  ctx: CoreContext,
  accountId: string,
  request: { plan: PlanCode; autoPay?: boolean; currency?: Currency },
): Promise<Result<Renewal>> {
  const plan = (await listPlans(ctx)).find((p) => p.code === request.plan);
  if (!plan) return fail("not_found", `No plan ${request.plan}`);
  const price = await choosePrice(ctx, accountId, plan, request.currency);
  if (!price.ok) return price;
  const now = ctx.clock.now();
  const { currency, amount } = price.value;
  const statements = amount > 0
    ? [renewalDebitStatement(ctx.db, { accountId, currency, amount, renewal: crypto.randomUUID(), memo: `${plan.code} ${plan.periodDays} days`, now })]
    : [];
  statements.push(renewPlanStatement(ctx.db, accountId, { plan: plan.code, periodMs: plan.periodDays * DAY, autoPay: request.autoPay ?? null, now }));
  try {
    const results = await ctx.db.batch<AccountRow>(statements);
    const account = results[results.length - 1]!.results[0];
    if (!account) throw new Error(`account ${accountId} vanished during renewal`);
    await forgetAccountSessions(ctx, accountId);
    return ok({ account, charged: { currency, amount } });
  } catch (e) {
    if (isFundsViolation(e)) return insufficientFor(plan, await listWallets(ctx, accountId), currency);
    throw e;
  }
}

/** The currency and price to charge: the one asked for, or the first wallet whose available funds cover it. */
async function choosePrice(
  ctx: CoreContext,
  accountId: string,
  plan: Plan,
  currency: Currency | undefined,
): Promise<Result<{ currency: Currency; amount: number }>> {
  const priced = Object.entries(plan.prices) as [Currency, number][];
  if (currency) {
    const amount = plan.prices[currency];
    if (amount === undefined) {
      return fail("invalid_request", `${plan.code} has no price in ${currency}`, {
        issues: [{ field: "currency", kind: "invalid_value", reason: `${plan.code} is priced in ${priced.map(([c]) => c).join(", ")}` }],
      });
    }
    return ok({ currency, amount });
  }
  const free = priced.find(([, amount]) => amount === 0);
  if (free) return ok({ currency: free[0], amount: 0 });
  const wallets = await listWallets(ctx, accountId);
  for (const wallet of wallets) {
    const amount = plan.prices[wallet.currency];
    if (amount !== undefined && available(wallet) >= amount) return ok({ currency: wallet.currency, amount });
  }
  return insufficientFor(plan, wallets);
}

/** Says what the plan costs, in the currencies the account holds when it holds any priced one, and what it has. */
function insufficientFor(plan: Plan, wallets: { currency: Currency; balance: number; held: number }[], only?: Currency): Result<never> {
  const held = new Set(wallets.map((w) => w.currency));
  const priced = Object.entries(plan.prices) as [Currency, number][];
  const relevant = only ? priced.filter(([c]) => c === only) : priced.some(([c]) => held.has(c)) ? priced.filter(([c]) => held.has(c)) : priced;
  const prices = relevant.map(([c, amount]) => `${formatAmount(amount, c)} ${c}`);
  const funds = wallets.map((w) => `${formatAmount(available(w), w.currency)} ${w.currency}`);
  return fail("insufficient_funds", `Insufficient funds: ${plan.code} costs ${prices.join(" or ")}; available: ${funds.join(", ") || "nothing"}`);
}

/**
 * Cron: renews each `auto_pay` plan that reached its expiry when a wallet can pay, and otherwise
 * lets it lapse (auto_pay is switched off, so it is not retried every minute). At most `limit`
 * accounts per run. Each renewal is guarded by the expiry it saw, so two runs never renew one
 * period twice, and its ledger reference is unique per account and period.
 */
export async function renewDuePlans(ctx: CoreContext, limit = 50): Promise<number> {
  const now = ctx.clock.now();
  const due = await findDuePlans(ctx.db, now, limit);
  if (due.length === 0) return 0;
  const plans = await listPlans(ctx);
  for (const account of due) {
    const plan = isPlanCode(account.plan) ? plans.find((p) => p.code === account.plan) : undefined;
    const price = plan ? await choosePrice(ctx, account.id, plan, undefined) : null;
    const renewed = plan && price?.ok ? await autoRenew(ctx, account, plan, price.value) : false;
    await forgetAccountSessions(ctx, account.id);
    if (renewed) {
      ctx.log.log("info", "plan_auto_renewed", { account_id: account.id, plan: account.plan });
      continue;
    }
    await lapseAutoPay(ctx.db, account, now);
    ctx.log.log("info", "plan_lapsed", { account_id: account.id, plan: account.plan });
  }
  return due.length;
}

async function autoRenew(
  ctx: CoreContext,
  account: DuePlan,
  plan: Plan,
  price: { currency: Currency; amount: number },
): Promise<boolean> {
  const now = ctx.clock.now();
  const statements: D1PreparedStatement[] = [];
  if (price.amount > 0) {
    const renewal = { accountId: account.id, expiresAt: account.plan_expires_at };
    const memo = `${plan.code} ${plan.periodDays} days (auto_pay)`;
    statements.push(renewalDebitStatement(ctx.db, { accountId: account.id, ...price, renewal, memo, now }, duePlanUnchanged(account)));
  }
  statements.push(extendDuePlanStatement(ctx.db, account, plan.periodDays * DAY, now));
  try {
    const results = await ctx.db.batch(statements);
    return (results[results.length - 1]!.meta.changes ?? 0) > 0;
  } catch (e) {
    if (isFundsViolation(e)) return false;
    // Another run renewed this very period first.
    if (isDuplicateReference(e)) return true;
    throw e;
  }
}
