import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reserveHoldStatement } from "../../src/stores/money/holds";
import { updatePlan } from "../../src/core/plans/plans";
import { renewDuePlans, renewPlan, requireActivePlan } from "../../src/core/plans/subscription";
import { unwrap } from "../../src/lib/errors";
import { coreContext, ManualClock } from "../helpers";
import { balanceOf, expectInvariants, newAccountId, topUp } from "../money/helpers";

const DAY = 86_400_000;

const account = async (id: string) =>
  (await env.DB.prepare("SELECT plan, plan_expires_at, auto_pay FROM accounts WHERE id = ?").bind(id).first<{ plan: string; plan_expires_at: number; auto_pay: number }>())!;

describe("subscriptions", () => {
  it("a new account is on a 3-day trial, which allows paid actions until it ends", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = coreContext(clock);
    const id = await newAccountId(ctx);
    expect(await account(id)).toMatchObject({ plan: "TRIAL", plan_expires_at: clock.now() + 3 * DAY, auto_pay: 0 });
    expect(unwrap(await requireActivePlan(ctx, id))).toMatchObject({ plan: "TRIAL", active: true });
    clock.advance(3 * DAY);
    const expired = await requireActivePlan(ctx, id);
    expect(!expired.ok && expired.error.code).toBe("plan_inactive");
  });

  it("renewal held back by holds: funds set aside for a paid action cannot pay a plan", async () => {
    const ctx = coreContext();
    const id = await newAccountId(ctx);
    await topUp(ctx, id, "30000");
    await reserveHoldStatement(ctx.db, { accountId: id, currency: "CDF", amount: 10000, reference: "sending", expiresAt: Date.now() + 60_000, now: Date.now() }).run();
    const refused = await renewPlan(ctx, id, { plan: "STANDARD" });
    expect(!refused.ok && refused.error.code).toBe("insufficient_funds");
    expect(!refused.ok && refused.error.message).toContain("available: 20000 CDF");
    expect(await balanceOf(id)).toEqual({ balance: 30000, held: 10000 });
  });

  it("auto_pay renews at expiry when the balance allows, once per period", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = coreContext(clock);
    const id = await newAccountId(ctx);
    await topUp(ctx, id, "60000");
    unwrap(await renewPlan(ctx, id, { plan: "STANDARD", autoPay: true }));
    const paidUntil = (await account(id)).plan_expires_at;
    expect(await balanceOf(id)).toEqual({ balance: 35000, held: 0 });

    clock.current = paidUntil - 1000;
    await renewDuePlans(ctx);
    expect((await account(id)).plan_expires_at).toBe(paidUntil);

    clock.current = paidUntil + 1000;
    await Promise.all([renewDuePlans(ctx), renewDuePlans(ctx), renewDuePlans(ctx)]);
    expect(await account(id)).toMatchObject({ plan: "STANDARD", plan_expires_at: clock.now() + 30 * DAY, auto_pay: 1 });
    expect(await balanceOf(id)).toEqual({ balance: 10000, held: 0 });
    await expectInvariants(id);

    // The next period cannot be paid: the plan lapses and auto_pay goes off.
    clock.current = (await account(id)).plan_expires_at + 1000;
    await renewDuePlans(ctx);
    expect(await account(id)).toMatchObject({ plan: "STANDARD", auto_pay: 0 });
    expect((await account(id)).plan_expires_at).toBeLessThan(clock.now());
    expect(await balanceOf(id)).toEqual({ balance: 10000, held: 0 });
    expect((await requireActivePlan(ctx, id)).ok).toBe(false);
    await expectInvariants(id);
  });

  it("without auto_pay the cron leaves an expired plan alone", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = coreContext(clock);
    const id = await newAccountId(ctx);
    await topUp(ctx, id, "100000");
    unwrap(await renewPlan(ctx, id, { plan: "GOLD", autoPay: false }));
    const until = (await account(id)).plan_expires_at;
    clock.current = until + DAY;
    await renewDuePlans(ctx);
    expect((await account(id)).plan_expires_at).toBe(until);
    expect(await balanceOf(id)).toEqual({ balance: 50000, held: 0 });
  });

  it("uses the price and period the operator set", async () => {
    const ctx = coreContext();
    const id = await newAccountId(ctx);
    await topUp(ctx, id, "10.00", "USD");
    const owner = unwrap(await updatePlan(ctx, "OWNER", { periodDays: 31, prices: { USD: 999 } }));
    try {
      expect(owner).toMatchObject({ code: "OWNER", periodDays: 31 });
      const before = (await account(id)).plan_expires_at;
      const renewal = unwrap(await renewPlan(ctx, id, { plan: "OWNER", currency: "USD" }));
      expect(renewal.charged).toEqual({ currency: "USD", amount: 999 });
      expect(renewal.account.plan_expires_at).toBe(before + 31 * DAY);
    } finally {
      unwrap(await updatePlan(ctx, "OWNER", { periodDays: 30, prices: { USD: 4000 } }));
    }
  });
});
