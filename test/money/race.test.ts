import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import { pollDueDeposits } from "../../src/core/money/deposits/poll";
import { refreshDeposit } from "../../src/core/money/deposits/refresh";
import { startDeposit } from "../../src/core/money/deposits/start";
import { findDeposit } from "../../src/stores/money/deposits";
import type { Env } from "../../src/config/env";
import { unwrap } from "../../src/lib/errors";
import { FAKE_PAWAPAY_TOKEN } from "../fakes/pawapay";
import { BASE, coreContext, ManualClock } from "../helpers";
import { balanceOf, creditsOf, expectInvariants, PAYER } from "../money/helpers";

/**
 * Exactly-once credit under contention: on a deposit the provider now reports COMPLETED, `verify`
 * (twice), the pawaPay callback (twice) and the cron poll run at the same time, round after round.
 * Each round must credit exactly once.
 */
export const SANDBOX_ROUNDS = 150;
export const PAWAPAY_ROUNDS = 50;

async function race(rounds: number, workerEnv: Env) {
  const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    handleFetch(
      new Request(`${BASE}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) }),
      workerEnv,
      createExecutionContext(),
    );
  const ctx = coreContext(undefined, workerEnv);
  // The cron poll runs at time 0, when only the round's deposit (next_check_at = 0) is due: test
  // files share one database, and deposits other tests left PENDING must not join the race.
  const cron = coreContext(new ManualClock(0), workerEnv);
  const signup = await (await call("/tokabola/v1/", { type: "signup", signup: { name: `Race ${crypto.randomUUID()}` } })).json<any>();
  const accountId: string = signup.data.id_user;
  const token = (await (await call("/tokabola/v1/", { type: "token", token: { id_user: accountId, key_user: signup.data.key_user } })).json<any>()).data.token;
  const auth = { Authorization: `Bearer ${token}` };

  let expected = 0;
  let passed = 0;
  for (let round = 0; round < rounds; round++) {
    const amount = 1000 + round;
    const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount: String(amount), currency: "CDF" }));
    expect((await refreshDeposit(ctx, deposit.id)).deposit.provider_status).toBe("PROCESSING");
    await env.DB.prepare("UPDATE deposits SET next_check_at = 0 WHERE id = ?").bind(deposit.id).run();

    const verify = () => call("/tokabola/v1/", { type: "verify", verify: { deposit_id: deposit.id } }, auth);
    const callback = () => call("/webhooks/pawapay", { depositId: deposit.id, status: "COMPLETED" });
    const responses = await Promise.all([verify(), callback(), pollDueDeposits(cron), verify(), callback()]);
    for (const r of responses) if (r instanceof Response) expect(r.status).toBe(200);

    expected += amount;
    expect(await creditsOf(deposit.id), `round ${round}`).toBe(1);
    expect((await findDeposit(ctx.db, deposit.id))!.status).toBe("COMPLETED");
    expect(await balanceOf(accountId)).toEqual({ balance: expected, held: 0 });
    passed += 1;
  }
  await expectInvariants(accountId);
  return passed;
}

describe("exactly-once credit under concurrency", () => {
  it(`credits once in each of ${SANDBOX_ROUNDS} rounds (sandbox provider)`, async () => {
    const passed = await race(SANDBOX_ROUNDS, env as unknown as Env);
    console.log(`race rounds passed (sandbox): ${passed}`);
    expect(passed).toBe(SANDBOX_ROUNDS);
  }, 120_000);

  it(`credits once in each of ${PAWAPAY_ROUNDS} rounds (pawaPay, through the fake)`, async () => {
    const workerEnv = { ...(env as unknown as Env), MOBILE_MONEY: "pawapay", PAWAPAY_API_TOKEN: FAKE_PAWAPAY_TOKEN };
    const passed = await race(PAWAPAY_ROUNDS, workerEnv);
    console.log(`race rounds passed (pawaPay): ${passed}`);
    expect(passed).toBe(PAWAPAY_ROUNDS);
  }, 120_000);
});
