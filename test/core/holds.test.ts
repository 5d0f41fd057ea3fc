import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findHold, postHold, reserveHold, voidHold, voidStaleHolds } from "../../src/core/money/holds";
import { unwrap } from "../../src/lib/errors";
import { coreContext, ManualClock } from "../helpers";
import { balanceOf, expectInvariants, newAccountId, topUp } from "../money/helpers";

async function funded(amount = "1000") {
  const ctx = coreContext();
  const accountId = await newAccountId(ctx);
  await topUp(ctx, accountId, amount);
  return { ctx, accountId };
}

const errorCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "ok" : r.error!.code);

describe("holds", () => {
  it("reserve sets money aside; post debits it once; balance and held follow", async () => {
    const { ctx, accountId } = await funded("1000");
    const hold = unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 300, reference: "msg-1" }));
    expect(hold).toMatchObject({ status: "HELD", amount: 300 });
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 300 });

    const posted = unwrap(await postHold(ctx, accountId, "msg-1"));
    expect(posted).toMatchObject({ status: "POSTED", posted_amount: 300 });
    expect(await balanceOf(accountId)).toEqual({ balance: 700, held: 0 });
    const entry = await env.DB.prepare("SELECT amount, reason, memo FROM ledger_entries WHERE reference = ?").bind(`hold:${hold.id}`).first();
    expect(entry).toEqual({ amount: -300, reason: "hold", memo: "msg-1" });
    await expectInvariants(accountId);
  });

  it("posts part of a hold and releases the rest", async () => {
    const { ctx, accountId } = await funded("1000");
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 400, reference: "msg-part" }));
    const posted = unwrap(await postHold(ctx, accountId, "msg-part", 150));
    expect(posted.posted_amount).toBe(150);
    expect(await balanceOf(accountId)).toEqual({ balance: 850, held: 0 });
    expect(errorCode(await postHold(ctx, accountId, "msg-none", 1))).toBe("not_found");
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 100, reference: "msg-over" }));
    expect(errorCode(await postHold(ctx, accountId, "msg-over", 101))).toBe("invalid_request");
    expect(errorCode(await postHold(ctx, accountId, "msg-over", -1))).toBe("invalid_request");
    const zero = unwrap(await postHold(ctx, accountId, "msg-over", 0));
    expect(zero.posted_amount).toBe(0);
    expect(await balanceOf(accountId)).toEqual({ balance: 850, held: 0 });
    await expectInvariants(accountId);
  });

  it("void releases without debiting", async () => {
    const { ctx, accountId } = await funded("1000");
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 999, reference: "msg-void" }));
    expect(unwrap(await voidHold(ctx, accountId, "msg-void")).status).toBe("VOIDED");
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 0 });
    await expectInvariants(accountId);
  });

  it("each call is idempotent on its reference and returns the first outcome", async () => {
    const { ctx, accountId } = await funded("1000");
    const first = unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 200, reference: "msg-idem" }));
    const again = unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 200, reference: "msg-idem" }));
    expect(again.id).toBe(first.id);
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 200 });
    expect(errorCode(await reserveHold(ctx, { accountId, currency: "CDF", amount: 201, reference: "msg-idem" }))).toBe("conflict");

    const posted = unwrap(await postHold(ctx, accountId, "msg-idem", 120));
    const repeated = unwrap(await postHold(ctx, accountId, "msg-idem", 200));
    expect(repeated).toEqual(posted);
    expect(await balanceOf(accountId)).toEqual({ balance: 880, held: 0 });
    expect(errorCode(await voidHold(ctx, accountId, "msg-idem"))).toBe("conflict");
    // A reserve repeated after the post still answers with that hold, and sets nothing aside.
    expect(unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 200, reference: "msg-idem" })).status).toBe("POSTED");
    expect(await balanceOf(accountId)).toEqual({ balance: 880, held: 0 });

    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 50, reference: "msg-idem-void" }));
    const voided = unwrap(await voidHold(ctx, accountId, "msg-idem-void"));
    expect(unwrap(await voidHold(ctx, accountId, "msg-idem-void"))).toEqual(voided);
    expect(errorCode(await postHold(ctx, accountId, "msg-idem-void"))).toBe("conflict");
    await expectInvariants(accountId);
  });

  it("concurrent posts and voids of one hold settle it once", async () => {
    const { ctx, accountId } = await funded("1000");
    for (let round = 0; round < 20; round++) {
      const reference = `msg-race-${round}`;
      unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 10, reference }));
      const results = await Promise.all([postHold(ctx, accountId, reference), postHold(ctx, accountId, reference), voidHold(ctx, accountId, reference)]);
      const hold = (await findHold(ctx, accountId, reference))!;
      const winners = results.filter((r) => r.ok && r.value.status === hold.status);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      const entries = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE reference = ?").bind(`hold:${hold.id}`).first<{ n: number }>();
      expect(entries!.n).toBe(hold.status === "POSTED" ? 1 : 0);
    }
    await expectInvariants(accountId);
  });

  it("fails cleanly with insufficient funds, counting what is already held", async () => {
    const { ctx, accountId } = await funded("1000");
    expect(errorCode(await reserveHold(ctx, { accountId, currency: "CDF", amount: 1001, reference: "too-much" }))).toBe("insufficient_funds");
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 600, reference: "a" }));
    expect(errorCode(await reserveHold(ctx, { accountId, currency: "CDF", amount: 401, reference: "b" }))).toBe("insufficient_funds");
    expect(errorCode(await reserveHold(ctx, { accountId, currency: "USD", amount: 1, reference: "c" }))).toBe("insufficient_funds");
    expect(errorCode(await reserveHold(ctx, { accountId, currency: "CDF", amount: 0, reference: "d" }))).toBe("invalid_request");
    expect(await findHold(ctx, accountId, "b")).toBeNull();
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 600 });
    expect(await balanceOf(accountId, "USD")).toEqual({ balance: 0, held: 0 });
    await expectInvariants(accountId);
  });

  it("the cron voids holds past their expiry, and only those", async () => {
    const clock = new ManualClock(Date.now());
    const { accountId } = await funded("1000");
    const ctx = coreContext(clock);
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 100, reference: "short", ttlMs: 60_000 }));
    unwrap(await reserveHold(ctx, { accountId, currency: "CDF", amount: 100, reference: "long", ttlMs: 3_600_000 }));
    clock.advance(61_000);
    expect(await voidStaleHolds(ctx)).toBeGreaterThanOrEqual(1);
    expect((await findHold(ctx, accountId, "short"))!.status).toBe("VOIDED");
    expect((await findHold(ctx, accountId, "long"))!.status).toBe("HELD");
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
