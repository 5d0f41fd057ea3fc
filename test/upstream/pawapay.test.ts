import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import { refreshDeposit } from "../../src/core/money/deposits/refresh";
import { startDeposit } from "../../src/core/money/deposits/start";
import { findDeposit } from "../../src/stores/money/deposits";
import type { Env } from "../../src/config/env";
import { unwrap } from "../../src/lib/errors";
import { FAKE_PAWAPAY_TOKEN } from "../fakes/pawapay";
import { BASE, coreContext } from "../helpers";
import { balanceOf, creditsOf, newAccountId } from "../money/helpers";

const PAWAPAY = { MOBILE_MONEY: "pawapay", PAWAPAY_API_TOKEN: FAKE_PAWAPAY_TOKEN, PAWAPAY_TIMEOUT_MS: "1000" };
const pawapayCtx = (overrides: Record<string, unknown> = {}) => coreContext(undefined, { ...PAWAPAY, ...overrides } as Partial<Env>);

/** A DRC Vodacom number whose last three digits pick the fake's behaviour. */
const payer = (suffix: string) => `243813456${suffix}`;

const recorded = async (id: string) => (await fetch(`https://api.sandbox.pawapay.io/__fake/deposits/${id}`)).json<any>();

async function start(suffix: string, amount = "1000", currency = "CDF") {
  const ctx = pawapayCtx();
  const accountId = await newAccountId(ctx);
  const result = await startDeposit(ctx, accountId, { from: payer(suffix), amount, currency });
  return { ctx, accountId, result };
}

describe("pawaPay v2 deposits (against the fake)", () => {
  it("initiates with the v2 body, then credits once when the status endpoint says COMPLETED", async () => {
    const { ctx, accountId, result } = await start("789", "10.50", "USD");
    const { deposit } = unwrap(result);
    expect(deposit).toMatchObject({ upstream: "pawapay", provider_status: "ACCEPTED", status: "PENDING" });
    expect((await recorded(deposit.id)).request).toEqual({
      depositId: deposit.id,
      amount: "10.5",
      currency: "USD",
      payer: { type: "MMO", accountDetails: { phoneNumber: payer("789"), provider: "VODACOM_MPESA_COD" } },
      customerMessage: "Recharge Tuma",
    });
    expect((await refreshDeposit(ctx, deposit.id)).deposit).toMatchObject({ status: "PENDING", provider_status: "PROCESSING" });
    const done = await refreshDeposit(ctx, deposit.id);
    expect(done).toMatchObject({ credited: true, deposit: { status: "COMPLETED", provider_transaction_id: `MP${deposit.id.slice(0, 8)}` } });
    expect(await balanceOf(accountId, "USD")).toEqual({ balance: 1050, held: 0 });
    expect((await refreshDeposit(ctx, deposit.id)).credited).toBe(false);
    expect((await recorded(deposit.id)).checks).toBe(2);
  });

  it("records a rejection with its reason and reports the field it concerns", async () => {
    const { accountId, result } = await start("904");
    expect(result.ok).toBe(false);
    const error = !result.ok && result.error;
    expect(error && error.code).toBe("invalid_request");
    expect(error && error.details.issues![0]).toMatchObject({ field: "from", reason: expect.stringContaining("INVALID_PHONE_NUMBER") });
    const row = await env.DB.prepare("SELECT * FROM deposits WHERE account_id = ?").bind(accountId).first<any>();
    expect(row).toMatchObject({ status: "FAILED", provider_status: "REJECTED", failure_code: "INVALID_PHONE_NUMBER", next_check_at: null });
    expect(row.failure_message).toContain("seems to be invalid");
  });

  it("a refused API token fails the deposit plainly: pawaPay did not take it", async () => {
    const ctx = pawapayCtx({ PAWAPAY_API_TOKEN: "wrong-token" });
    const accountId = await newAccountId(ctx);
    const result = await startDeposit(ctx, accountId, { from: payer("789"), amount: "1000", currency: "CDF" });
    expect(!result.ok && result.error.code).toBe("upstream_failure");
    const row = await env.DB.prepare("SELECT status, failure_code FROM deposits WHERE account_id = ?").bind(accountId).first();
    expect(row).toEqual({ status: "FAILED", failure_code: "AUTHENTICATION_ERROR" });
  });

  for (const [suffix, what] of [["901", "a timeout"], ["902", "a 500"], ["903", "a malformed answer"]] as const) {
    it(`leaves the deposit PENDING after ${what} at initiation`, async () => {
      const { result } = await start(suffix);
      const { deposit } = unwrap(result);
      expect(deposit).toMatchObject({ status: "PENDING", provider_status: null, failure_code: null });
      expect(deposit.next_check_at).toBeGreaterThan(deposit.created_at);
    });
  }

  it("finds a deposit whose initiation answer was lost, and completes it", async () => {
    const { ctx, accountId, result } = await start("905");
    const { deposit } = unwrap(result);
    expect(deposit.provider_status).toBeNull();
    expect((await refreshDeposit(ctx, deposit.id)).deposit.provider_status).toBe("PROCESSING");
    expect((await refreshDeposit(ctx, deposit.id)).credited).toBe(true);
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 0 });
  });

  it("sends again, with the same id, a deposit the provider never received", async () => {
    const { ctx, accountId, result } = await start("906");
    const { deposit } = unwrap(result);
    expect(deposit.provider_status).toBeNull();
    const resent = await refreshDeposit(ctx, deposit.id); // NOT_FOUND → initiate again → ACCEPTED
    expect(resent.deposit).toMatchObject({ status: "PENDING", provider_status: "ACCEPTED" });
    expect((await recorded(deposit.id)).posts).toBe(2);
    await refreshDeposit(ctx, deposit.id);
    expect((await refreshDeposit(ctx, deposit.id)).credited).toBe(true);
    expect(await creditsOf(deposit.id)).toBe(1);
    expect(await balanceOf(accountId)).toEqual({ balance: 1000, held: 0 });
  });

  for (const [suffix, what] of [
    ["911", "a status timeout"], ["912", "a status 503"], ["913", "a status answer that is not JSON"],
    ["914", "a status answer without an amount"], ["915", "COMPLETED for another amount"], ["916", "IN_RECONCILIATION"],
  ] as const) {
    it(`neither credits nor fails on ${what}`, async () => {
      const { ctx, accountId, result } = await start(suffix);
      const { deposit } = unwrap(result);
      for (let i = 0; i < 3; i++) {
        const { deposit: now, credited } = await refreshDeposit(ctx, deposit.id);
        expect(credited).toBe(false);
        expect(now.status).toBe("PENDING");
        expect(now.next_check_at).toBeGreaterThan(Date.now());
      }
      expect((await findDeposit(ctx.db, deposit.id))!.checks).toBe(3);
      expect(await balanceOf(accountId)).toEqual({ balance: 0, held: 0 });
    });
  }

  it("records a FAILED deposit with pawaPay's failure code", async () => {
    const { ctx, result } = await start("039");
    const { deposit } = unwrap(result);
    expect((await refreshDeposit(ctx, deposit.id)).deposit).toMatchObject({
      status: "FAILED", failure_code: "PAYMENT_NOT_APPROVED", failure_message: "Sandbox PAYMENT_NOT_APPROVED", next_check_at: null,
    });
  });

  it("end to end: addfund, then pawaPay's callback makes the gateway check and credit", async () => {
    const workerEnv = { ...(env as unknown as Env), ...PAWAPAY };
    const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      handleFetch(
        new Request(`${BASE}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) }),
        workerEnv,
        createExecutionContext(),
      );
    const name = `Pawa ${crypto.randomUUID().slice(0, 8)}`;
    const signup = await (await call("/tokabola/v1/", { type: "signup", signup: { name } })).json<any>();
    const token = (await (await call("/tokabola/v1/", { type: "token", token: { id_user: signup.data.id_user, key_user: signup.data.key_user } })).json<any>()).data.token;
    const auth = { Authorization: `Bearer ${token}` };
    const started = await (await call("/tokabola/v1/", { type: "addfund", addfund: { from: payer("789"), amount: "25000", currency: "CDF" } }, auth)).json<any>();
    expect(started.data.status).toBe("PENDING");
    const id = started.data.deposit_id;
    // pawaPay's callback says COMPLETED; that is not believed, the status endpoint says PROCESSING.
    const hint = { depositId: id, status: "COMPLETED", amount: "25000", currency: "CDF" };
    expect(await (await call("/webhooks/pawapay", hint)).json()).toEqual({ status: "checked" });
    expect(await balanceOf(signup.data.id_user)).toEqual({ balance: 0, held: 0 });
    expect(await (await call("/webhooks/pawapay", hint)).json()).toEqual({ status: "checked" });
    expect(await balanceOf(signup.data.id_user)).toEqual({ balance: 25000, held: 0 });
    expect(await (await call("/webhooks/pawapay", hint)).json()).toEqual({ status: "ignored" });
    const verified = await (await call("/tokabola/v1/", { type: "verify", verify: { deposit_id: id } }, auth)).json<any>();
    expect(verified.data).toMatchObject({ status: "COMPLETED", solde: "25000" });
    expect(await creditsOf(id)).toBe(1);
  });
});
