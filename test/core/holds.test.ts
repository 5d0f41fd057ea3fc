import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CoreContext } from "../../src/config/context";
import { postHoldStatement, reserveHoldStatement, voidHoldStatement, voidStaleHolds } from "../../src/stores/money/holds";
import { holdReference } from "../../src/stores/money/references";
import type { Currency } from "../../src/lib/money";
import { coreContext, ManualClock } from "../helpers";
import { balanceOf, expectInvariants, holdOf, newAccountId, runHold, topUp, type HoldOutcome } from "../money/helpers";

async function funded(amount = "1000") {
  const ctx = coreContext();
  const accountId = await newAccountId(ctx);
  await topUp(ctx, accountId, amount);
  return { ctx, accountId };
}

const HOUR = 3_600_000;

/** The statements a paid send runs, each alone. */
const reserve = (ctx: CoreContext, accountId: string, reference: string, amount: number, options: { currency?: Currency; ttlMs?: number } = {}) => {
  const now = ctx.clock.now();
  return runHold(reserveHoldStatement(ctx.db, { accountId, currency: options.currency ?? "CDF", amount, reference, expiresAt: now + (options.ttlMs ?? HOUR), now }));
};
const post = (ctx: CoreContext, accountId: string, reference: string) => runHold(postHoldStatement(ctx.db, accountId, reference, ctx.clock.now()));
const voidIt = (ctx: CoreContext, accountId: string, reference: string) => runHold(voidHoldStatement(ctx.db, accountId, reference, ctx.clock.now()));

const changed = (r: HoldOutcome) => {
  expect(r.outcome).toBe("changed");
  return (r as Extract<HoldOutcome, { outcome: "changed" }>).hold;
};

describe("holds", () => {
  it("reserve sets money aside; post debits it once; balance and held follow", async () => {
    const { ctx, accountId } = await funded("1000");
    const hold = changed(await reserve(ctx, accountId, "msg-1", 300));
    expect(hold).toMatchObject({ status: "HELD", amount: 300 });
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 300 });

    const posted = changed(await post(ctx, accountId, "msg-1"));
    expect(posted).toMatchObject({ status: "POSTED", posted_amount: 300 });
    expect(await balanceOf(accountId)).toEqual({ balance: 700, held: 0 });
    const entry = await env.DB.prepare("SELECT amount, reason, memo FROM ledger_entries WHERE reference = ?").bind(holdReference(hold.id)).first();
    expect(entry).toEqual({ amount: -300, reason: "hold", memo: "msg-1" });
    await expectInvariants(accountId);
  });

  it("settles only the account's own HELD hold: an unknown reference or another account's hold is left as it is", async () => {
    const { ctx, accountId } = await funded("1000");
    const other = await funded("1000");
    expect((await post(ctx, accountId, "msg-none")).outcome).toBe("unchanged");
    expect((await voidIt(ctx, accountId, "msg-none")).outcome).toBe("unchanged");
    changed(await reserve(other.ctx, other.accountId, "msg-theirs", 400));
    expect((await post(ctx, accountId, "msg-theirs")).outcome).toBe("unchanged");
    expect((await voidIt(ctx, accountId, "msg-theirs")).outcome).toBe("unchanged");
    expect(await holdOf(other.accountId, "msg-theirs")).toMatchObject({ status: "HELD", amount: 400 });
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 0 });
    expect(await balanceOf(other.accountId)).toEqual({ balance: 1000, held: 400 });
    await expectInvariants(accountId);
    await expectInvariants(other.accountId);
  });

  it("void releases without debiting", async () => {
    const { ctx, accountId } = await funded("1000");
    changed(await reserve(ctx, accountId, "msg-void", 999));
    expect(changed(await voidIt(ctx, accountId, "msg-void")).status).toBe("VOIDED");
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 0 });
    await expectInvariants(accountId);
  });

  it("each statement is idempotent on its reference: repeating it changes nothing and leaves the first outcome", async () => {
    const { ctx, accountId } = await funded("1000");
    const first = changed(await reserve(ctx, accountId, "msg-idem", 200));
    expect((await reserve(ctx, accountId, "msg-idem", 200)).outcome).toBe("unchanged");
    expect((await holdOf(accountId, "msg-idem"))!.id).toBe(first.id);
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 200 });
    // Another amount for the same reference does not replace the hold.
    expect((await reserve(ctx, accountId, "msg-idem", 201)).outcome).toBe("unchanged");
    expect(await holdOf(accountId, "msg-idem")).toEqual(first);

    const posted = changed(await post(ctx, accountId, "msg-idem"));
    expect((await post(ctx, accountId, "msg-idem")).outcome).toBe("unchanged");
    expect(await holdOf(accountId, "msg-idem")).toEqual(posted);
    expect(await balanceOf(accountId)).toEqual({ balance: 800, held: 0 });
    expect((await voidIt(ctx, accountId, "msg-idem")).outcome).toBe("unchanged");
    // A reserve repeated after the post leaves that hold as it is, and sets nothing aside.
    expect((await reserve(ctx, accountId, "msg-idem", 200)).outcome).toBe("unchanged");
    expect((await holdOf(accountId, "msg-idem"))!.status).toBe("POSTED");
    expect(await balanceOf(accountId)).toEqual({ balance: 800, held: 0 });

    changed(await reserve(ctx, accountId, "msg-idem-void", 50));
    const voided = changed(await voidIt(ctx, accountId, "msg-idem-void"));
    expect((await voidIt(ctx, accountId, "msg-idem-void")).outcome).toBe("unchanged");
    expect((await post(ctx, accountId, "msg-idem-void")).outcome).toBe("unchanged");
    expect(await holdOf(accountId, "msg-idem-void")).toEqual(voided);
    expect(await balanceOf(accountId)).toEqual({ balance: 800, held: 0 });
    await expectInvariants(accountId);
  });

  it("concurrent posts and voids of one hold settle it once", async () => {
    const { ctx, accountId } = await funded("1000");
    for (let round = 0; round < 20; round++) {
      const reference = `msg-race-${round}`;
      changed(await reserve(ctx, accountId, reference, 10));
      const results = await Promise.all([post(ctx, accountId, reference), post(ctx, accountId, reference), voidIt(ctx, accountId, reference)]);
      const hold = (await holdOf(accountId, reference))!;
      const winners = results.filter((r) => r.outcome === "changed");
      expect(winners).toHaveLength(1);
      expect(changed(winners[0]!).status).toBe(hold.status);
      const entries = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE reference = ?").bind(holdReference(hold.id)).first<{ n: number }>();
      expect(entries!.n).toBe(hold.status === "POSTED" ? 1 : 0);
    }
    await expectInvariants(accountId);
  });

  it("the wallet refuses a hold beyond what is available, counting what is already held", async () => {
    const { ctx, accountId } = await funded("1000");
    expect((await reserve(ctx, accountId, "too-much", 1001)).outcome).toBe("insufficient_funds");
    changed(await reserve(ctx, accountId, "a", 600));
    expect((await reserve(ctx, accountId, "b", 401)).outcome).toBe("insufficient_funds");
    expect((await reserve(ctx, accountId, "c", 1, { currency: "USD" })).outcome).toBe("insufficient_funds");
    await expect(reserve(ctx, accountId, "d", 0)).rejects.toThrow(/CHECK constraint failed/);
    expect(await holdOf(accountId, "b")).toBeNull();
    expect(await holdOf(accountId, "d")).toBeNull();
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 600 });
    expect(await balanceOf(accountId, "USD")).toEqual({ balance: 0, held: 0 });
    await expectInvariants(accountId);
  });

  it("the cron voids holds past their expiry, and only those", async () => {
    const clock = new ManualClock(Date.now());
    const { accountId } = await funded("1000");
    const ctx = coreContext(clock);
    changed(await reserve(ctx, accountId, "short", 100, { ttlMs: 60_000 }));
    changed(await reserve(ctx, accountId, "long", 100, { ttlMs: 3_600_000 }));
    clock.advance(61_000);
    expect(await voidStaleHolds(ctx.db, clock.now())).toBeGreaterThanOrEqual(1);
    expect((await holdOf(accountId, "short"))!.status).toBe("VOIDED");
    expect((await holdOf(accountId, "long"))!.status).toBe("HELD");
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 100 });
    await expectInvariants(accountId);
  });

  it("the database itself refuses a negative balance and any change to the ledger", async () => {
    const { accountId } = await funded("100");
    const debit = env.DB.prepare(
      "INSERT INTO ledger_entries (account_id, currency, amount, reason, reference, created_at) VALUES (?, 'CDF', -101, 'plan', ?, 0)",
    ).bind(accountId, `test:${crypto.randomUUID()}`);
    await expect(debit.run()).rejects.toThrow(/wallet_balance_not_negative/);
    await expect(env.DB.prepare("UPDATE ledger_entries SET amount = 1 WHERE account_id = ?").bind(accountId).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("DELETE FROM ledger_entries WHERE account_id = ?").bind(accountId).run()).rejects.toThrow(/immutable/);
    expect(await balanceOf(accountId)).toEqual({ balance: 100, held: 0 });
    await expectInvariants(accountId);
  });
});
