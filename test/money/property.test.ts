import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CoreContext } from "../../src/config/context";
import { postHoldStatement, reserveHoldStatement, voidHoldStatement, voidStaleHolds } from "../../src/stores/money/holds";
import { renewPlan } from "../../src/core/plans/subscription";
import { coreContext, ManualClock } from "../helpers";
import { expectInvariants, holdOf, newAccountId, runHold, topUp } from "./helpers";

/**
 * Random sequences of deposits, renewals, holds, posts, voids and expiries on one CDF wallet,
 * run against the real core and D1 (the hold statements paid sends run) and against a ten-line
 * model. After every step: the model and
 * the wallet agree, balance = sum of entries ≥ 0, held = sum of held holds ≤ balance.
 */
export const PROPERTY_RUNS = 200;

const PRICES = { STANDARD: 25000, GOLD: 50000 } as const;
const HOLD_TTL = 10 * 60_000;

interface Model {
  balance: number;
  held: number;
  holds: Map<string, { amount: number; status: "HELD" | "POSTED" | "VOIDED" }>;
}
interface Real {
  ctx: CoreContext;
  clock: ManualClock;
  accountId: string;
}

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

async function check(model: Model, real: Real) {
  const { wallets } = await expectInvariants(real.accountId);
  const cdf = wallets.find((w) => w.currency === "CDF") ?? { balance: 0, held: 0 };
  expect({ balance: cdf.balance, held: cdf.held }).toEqual({ balance: model.balance, held: model.held });
}

class Deposit implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    await topUp(real.ctx, real.accountId, String(this.amount));
    model.balance += this.amount;
    await check(model, real);
  }
  toString = () => `deposit(${this.amount})`;
}

class Renew implements fc.AsyncCommand<Model, Real> {
  constructor(readonly plan: keyof typeof PRICES) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await renewPlan(real.ctx, real.accountId, { plan: this.plan, currency: "CDF" });
    const affordable = model.balance - model.held >= PRICES[this.plan];
    expect(code(result)).toBe(affordable ? "ok" : "insufficient_funds");
    if (affordable) model.balance -= PRICES[this.plan];
    await check(model, real);
  }
  toString = () => `renew(${this.plan})`;
}

class Reserve implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ref: string, readonly amount: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const before = await holdOf(real.accountId, this.ref);
    const now = real.clock.now();
    const request = { accountId: real.accountId, currency: "CDF" as const, amount: this.amount, reference: this.ref, expiresAt: now + HOLD_TTL, now };
    const { outcome } = await runHold(reserveHoldStatement(real.ctx.db, request));
    const existing = model.holds.get(this.ref);
    if (existing) {
      // The reference keeps its first hold, whatever the amount asked the second time.
      expect(outcome).toBe("unchanged");
      expect(await holdOf(real.accountId, this.ref)).toEqual(before);
    } else if (model.balance - model.held >= this.amount) {
      expect(outcome).toBe("changed");
      model.holds.set(this.ref, { amount: this.amount, status: "HELD" });
      model.held += this.amount;
    } else {
      expect(outcome).toBe("insufficient_funds");
    }
    await check(model, real);
  }
  toString = () => `reserve(${this.ref}, ${this.amount})`;
}

class Post implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ref: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const hold = model.holds.get(this.ref);
    const { outcome } = await runHold(postHoldStatement(real.ctx.db, real.accountId, this.ref, real.clock.now()));
    // No hold, or one already settled: nothing changes, and a settled hold keeps its first outcome.
    if (!hold) expect(await holdOf(real.accountId, this.ref)).toBeNull();
    if (hold?.status !== "HELD") expect(outcome).toBe("unchanged");
    else {
      expect(outcome).toBe("changed");
      hold.status = "POSTED";
      model.held -= hold.amount;
      model.balance -= hold.amount;
    }
    if (hold) expect((await holdOf(real.accountId, this.ref))!.status).toBe(hold.status);
    await check(model, real);
  }
  toString = () => `post(${this.ref})`;
}

class Void implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ref: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const hold = model.holds.get(this.ref);
    const { outcome } = await runHold(voidHoldStatement(real.ctx.db, real.accountId, this.ref, real.clock.now()));
    if (!hold) expect(await holdOf(real.accountId, this.ref)).toBeNull();
    if (hold?.status !== "HELD") expect(outcome).toBe("unchanged");
    else {
      expect(outcome).toBe("changed");
      model.held -= hold.amount;
      hold.status = "VOIDED";
    }
    if (hold) expect((await holdOf(real.accountId, this.ref))!.status).toBe(hold.status);
    await check(model, real);
  }
  toString = () => `void(${this.ref})`;
}

/** Time passes beyond every hold's expiry and the cron voids the stale ones. */
class Expire implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    real.clock.advance(HOLD_TTL + 1);
    await voidStaleHolds(real.ctx.db, real.clock.now());
    for (const hold of model.holds.values()) {
      if (hold.status === "HELD") {
        hold.status = "VOIDED";
        model.held -= hold.amount;
      }
    }
    await check(model, real);
  }
  toString = () => "expire()";
}

const ref = fc.constantFrom("m1", "m2", "m3", "m4", "m5");
const commands = [
  fc.integer({ min: 1, max: 60000 }).map((a) => new Deposit(a)),
  fc.constantFrom("STANDARD" as const, "GOLD" as const).map((p) => new Renew(p)),
  fc.tuple(ref, fc.integer({ min: 1, max: 40000 })).map(([r, a]) => new Reserve(r, a)),
  ref.map((r) => new Post(r)),
  ref.map((r) => new Void(r)),
  fc.constant(new Expire()),
];

describe("money property", () => {
  it(`${PROPERTY_RUNS} random sequences keep balance = sum of entries ≥ 0 and held ≤ balance`, async () => {
    let runs = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "max" }), async (cmds) => {
        const clock = new ManualClock(Date.now());
        const ctx = coreContext(clock);
        const real: Real = { ctx, clock, accountId: await newAccountId(ctx) };
        await fc.asyncModelRun(() => ({ model: { balance: 0, held: 0, holds: new Map() }, real }), cmds);
        runs += 1;
        steps += [...cmds].length;
      }),
      { numRuns: PROPERTY_RUNS },
    );
    console.log(`property runs passed: ${runs} (${steps} steps, each followed by the invariant check)`);
    expect(runs).toBeGreaterThanOrEqual(PROPERTY_RUNS);
    expect(steps).toBeGreaterThan(PROPERTY_RUNS * 10);
  }, 180_000);
});
