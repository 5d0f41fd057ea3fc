import { DAY } from "../../lib/clock";
import { fail, ok, type Result } from "../../lib/errors";
import type { Currency } from "../../lib/money";
import type { CoreContext } from "../../config/context";

/** Every new account starts on this plan, for this long. */
export const TRIAL_PLAN = "TRIAL";
export const TRIAL_PERIOD_MS = 3 * DAY;

/** The paid plans; a new account starts on TRIAL (see subscription.ts), which is not one of them. */
export const PLAN_CODES = ["STANDARD", "GOLD", "OWNER"] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

export const isPlanCode = (value: string): value is PlanCode => (PLAN_CODES as readonly string[]).includes(value);

export interface Plan {
  code: PlanCode;
  periodDays: number;
  /** Minor units per currency. */
  prices: Partial<Record<Currency, number>>;
  updatedAt: number;
}

export async function listPlans(ctx: CoreContext): Promise<Plan[]> {
  const [plans, prices] = await ctx.db.batch<Record<string, unknown>>([
    ctx.db.prepare("SELECT code, period_days, updated_at FROM plans ORDER BY period_days, code"),
    ctx.db.prepare("SELECT plan, currency, amount FROM plan_prices ORDER BY currency"),
  ]);
  const byCode = new Map<string, Plan>();
  for (const row of plans!.results as { code: PlanCode; period_days: number; updated_at: number }[]) {
    byCode.set(row.code, { code: row.code, periodDays: row.period_days, prices: {}, updatedAt: row.updated_at });
  }
  for (const row of prices!.results as { plan: string; currency: Currency; amount: number }[]) {
    const plan = byCode.get(row.plan);
    if (plan) plan.prices[row.currency] = row.amount;
  }
  // Listed in the order the codes are declared: STANDARD, GOLD, OWNER.
  return PLAN_CODES.flatMap((code) => byCode.get(code) ?? []);
}

async function getPlan(ctx: CoreContext, code: PlanCode): Promise<Result<Plan>> {
  const plan = (await listPlans(ctx)).find((p) => p.code === code);
  return plan ? ok(plan) : fail("not_found", `No plan ${code}`);
}

export interface PlanChanges {
  periodDays?: number;
  /** A price per currency in minor units; null removes the currency. */
  prices?: Partial<Record<Currency, number | null>>;
}

/** The operator's edit of a plan, applied in one batch. */
export async function updatePlan(ctx: CoreContext, code: PlanCode, changes: PlanChanges): Promise<Result<Plan>> {
  const now = ctx.clock.now();
  const statements = [
    ctx.db
      .prepare("UPDATE plans SET period_days = COALESCE(?, period_days), updated_at = ? WHERE code = ?")
      .bind(changes.periodDays ?? null, now, code),
  ];
  for (const [currency, amount] of Object.entries(changes.prices ?? {})) {
    statements.push(
      amount === null || amount === undefined
        ? ctx.db.prepare("DELETE FROM plan_prices WHERE plan = ? AND currency = ?").bind(code, currency)
        : ctx.db
            .prepare(
              "INSERT INTO plan_prices (plan, currency, amount) VALUES (?, ?, ?) ON CONFLICT (plan, currency) DO UPDATE SET amount = excluded.amount",
            )
            .bind(code, currency, amount),
    );
  }
  const [updated] = await ctx.db.batch(statements);
  if (!updated!.meta.changes) return fail("not_found", `No plan ${code}`);
  return getPlan(ctx, code);
}
