import { describe, expect, it } from "vitest";
import { reserveHoldStatement } from "../../src/stores/money/holds";
import { claimStatement } from "../../src/core/messages/idempotency";
import { failStaleMessages } from "../../src/core/messages/stale";
import { messageLog, newMessageId, STALE_PENDING_MS } from "../../src/core/messages/store";
import { ManualClock } from "../helpers";
import type { Env } from "../../src/config/env";
import { fund, holdsOf, messagesOf, newAccount, readyNumber, sandboxCtx, wallet } from "./helpers";

describe.each(["d1", "durable"] as const)("a send interrupted after its write (crash before the upstream answered), the log in %s", (store) => {
  it("stays pending with its hold until the cron fails it, voids the hold and frees the idempotency key", async () => {
    const clock = new ManualClock(Date.now());
    const ctx = sandboxCtx(clock, { MESSAGE_LOG: store } as Partial<Env>);
    const accountId = await newAccount();
    await fund(accountId, "CDF", 500);
    const id = newMessageId();
    // Exactly what the pipeline writes before calling the upstream.
    await ctx.db.batch([
      claimStatement(ctx, accountId, "crash-key", "hash", id),
      reserveHoldStatement(ctx.db, { accountId, currency: "CDF", amount: 60, reference: id, expiresAt: clock.now() + STALE_PENDING_MS, now: clock.now() }),
    ]);
    await messageLog(ctx).recordSends([
      {
        message: {
          id, account_id: accountId, phone_number_id: await readyNumber(accountId), upstream: "meta", to_input: "243811111113", wa_id: "243811111113",
          type: "template", category: "utility", hold_reference: id, charge_currency: "CDF", charge_amount: 60, client_data: null, campaign_id: null, created_at: clock.now(),
        },
      },
    ]);
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 500, held: 60 });

    clock.advance(60_000);
    await failStaleMessages(ctx);
    expect((await messagesOf(accountId, ctx))[0]).toMatchObject({ status: "pending" });

    clock.advance(STALE_PENDING_MS);
    expect(await failStaleMessages(ctx)).toBeGreaterThanOrEqual(1);
    expect((await messagesOf(accountId, ctx))[0]).toMatchObject({ status: "failed", error: expect.stringContaining("interrupted") });
    expect(await holdsOf(accountId)).toEqual([expect.objectContaining({ status: "VOIDED" })]);
    expect(await wallet(accountId, "CDF")).toEqual({ balance: 500, held: 0 });
    const key = await ctx.db.prepare("SELECT 1 FROM idempotency_keys WHERE account_id = ? AND key = 'crash-key'").bind(accountId).first();
    expect(key).toBeNull();
  });
});
