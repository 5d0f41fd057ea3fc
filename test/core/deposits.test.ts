import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { pollDueDeposits } from "../../src/core/money/deposits/poll";
import { depositCallback, verifyDeposit } from "../../src/core/money/deposits/refresh";
import { nextCheckAt } from "../../src/core/money/deposits/schedule";
import { startDeposit } from "../../src/core/money/deposits/start";
import { findDeposit } from "../../src/stores/money/deposits";
import type { Env } from "../../src/config/env";
import { unwrap } from "../../src/lib/errors";
import worker from "../../src/index";
import { coreContext, ManualClock } from "../helpers";
import { balanceOf, creditsOf, expectInvariants, newAccountId, PAYER } from "../money/helpers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * Test files share one database, where other tests leave deposits PENDING, due at their own
 * times. A test that counts what a poll takes runs its clock in a year of its own, long past, so
 * that only its own deposits are due.
 */
const yearOfItsOwn = (year: number) => new ManualClock(Date.UTC(year, 0, 1));

describe("deposits", () => {
  it("writes the deposit before asking the provider, with a UUID v4 id", async () => {
    const ctx = coreContext();
    const accountId = await newAccountId(ctx);
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount: "25000", currency: "CDF" }));
    expect(deposit).toMatchObject({
      account_id: accountId, status: "PENDING", provider_status: "ACCEPTED", amount: 25000, currency: "CDF",
      payer: PAYER.completes, country: "COD", provider: "VODACOM_MPESA_COD", upstream: "sandbox", checks: 0,
    });
    expect(deposit.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deposit.next_check_at).toBe(deposit.created_at + MINUTE);
  });

  it("the backoff is 1, 2, 5, 10, 30 minutes, then hourly, never past 24 h", () => {
    const created = 0;
    const delays = [0, 1, 2, 3, 4, 5, 6].map((checks) => nextCheckAt({ checks, created_at: created }, 0));
    expect(delays).toEqual([1, 2, 5, 10, 30, 60, 60].map((m) => m * MINUTE));
    expect(nextCheckAt({ checks: 9, created_at: created }, 23.5 * HOUR)).toBe(24 * HOUR);
  });

  it("the cron polls due deposits with backoff, and a stuck one expires after 24 h without credit", async () => {
    const clock = yearOfItsOwn(2001);
    const ctx = coreContext(clock);
    const accountId = await newAccountId(ctx);
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.stuck, amount: "700", currency: "CDF" }));
    expect(await pollDueDeposits(ctx)).toBe(0);
    const seen: number[] = [];
    for (let i = 0; i < 40 && (await findDeposit(ctx.db, deposit.id))!.status === "PENDING"; i++) {
      clock.current = (await findDeposit(ctx.db, deposit.id))!.next_check_at!;
      await pollDueDeposits(ctx);
      seen.push(clock.current - deposit.created_at);
    }
    const after = (await findDeposit(ctx.db, deposit.id))!;
    expect(after).toMatchObject({ status: "EXPIRED", next_check_at: null, provider_status: "ACCEPTED" });
    expect(seen.slice(0, 6)).toEqual([1, 3, 8, 18, 48, 108].map((m) => m * MINUTE));
    expect(seen[seen.length - 1]).toBe(24 * HOUR);
    expect(after.checks).toBe(seen.length);
    expect(await creditsOf(deposit.id)).toBe(0);
    // Expired deposits are no longer polled.
    clock.advance(10 * HOUR);
    expect(await pollDueDeposits(ctx)).toBe(0);
  });

  it("an expired deposit the provider completes late is still credited, once, by verify", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = coreContext(clock);
    const accountId = await newAccountId(ctx);
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount: "900", currency: "CDF" }));
    await env.DB.prepare("UPDATE deposits SET status = 'EXPIRED', next_check_at = NULL WHERE id = ?").bind(deposit.id).run();
    expect(unwrap(await verifyDeposit(ctx, accountId, deposit.id)).deposit.status).toBe("EXPIRED"); // PROCESSING
    const done = unwrap(await verifyDeposit(ctx, accountId, deposit.id));
    expect(done).toMatchObject({ credited: true, deposit: { status: "COMPLETED" } });
    expect(await balanceOf(accountId)).toEqual({ balance: 900, held: 0 });
    expect(unwrap(await verifyDeposit(ctx, accountId, deposit.id)).credited).toBe(false);
    expect(await creditsOf(deposit.id)).toBe(1);
  });

  it("a run polls a bounded number of deposits, and overlapping runs do not take the same ones", async () => {
    const clock = yearOfItsOwn(2002);
    const ctx = coreContext(clock);
    const accountId = await newAccountId(ctx);
    for (let i = 0; i < 12; i++) unwrap(await startDeposit(ctx, accountId, { from: PAYER.stuck, amount: "1", currency: "CDF" }));
    clock.advance(MINUTE);
    const [a, b] = await Promise.all([pollDueDeposits(ctx, 5), pollDueDeposits(ctx, 5)]);
    expect(a).toBe(5);
    expect(b).toBe(5);
    const checked = await env.DB.prepare("SELECT checks, COUNT(*) AS n FROM deposits WHERE account_id = ? GROUP BY checks ORDER BY checks")
      .bind(accountId)
      .all<{ checks: number; n: number }>();
    expect(checked.results).toEqual([{ checks: 0, n: 2 }, { checks: 1, n: 10 }]);
  });

  it("a callback is a hint: it checks with the provider; unknown and final deposits are ignored", async () => {
    const ctx = coreContext();
    const accountId = await newAccountId(ctx);
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount: "300", currency: "CDF" }));
    expect(await depositCallback(ctx, crypto.randomUUID())).toBe("ignored");
    expect(await depositCallback(ctx, deposit.id)).toBe("checked"); // PROCESSING
    expect(await balanceOf(accountId)).toEqual({ balance: 0, held: 0 });
    expect(await depositCallback(ctx, deposit.id)).toBe("checked"); // COMPLETED
    expect(await balanceOf(accountId)).toEqual({ balance: 300, held: 0 });
    expect(await depositCallback(ctx, deposit.id)).toBe("ignored");
    expect((await findDeposit(ctx.db, deposit.id))!.checks).toBe(2);
    await expectInvariants(accountId);
  });

  it("the Worker's cron trigger polls deposits", async () => {
    const ctx = coreContext();
    const accountId = await newAccountId(ctx);
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount: "450", currency: "CDF" }));
    for (let run = 0; run < 2; run++) {
      await env.DB.prepare("UPDATE deposits SET next_check_at = 0 WHERE id = ?").bind(deposit.id).run();
      const execution = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env as unknown as Env, execution);
      await waitOnExecutionContext(execution);
    }
    expect((await findDeposit(ctx.db, deposit.id))!.status).toBe("COMPLETED");
    expect(await balanceOf(accountId)).toEqual({ balance: 450, held: 0 });
  });
});
