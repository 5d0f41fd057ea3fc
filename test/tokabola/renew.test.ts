import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetAccountSessions } from "../../src/core/credentials/tokens";
import { coreContext, signupWithToken, tokabola } from "../helpers";
import { PAYER } from "../money/helpers";

const renew = (token: string, renew: Record<string, unknown>) => tokabola({ type: "update", update: { account: "renew" }, renew }, token);
const DAY = 86_400_000;

async function fund(token: string, amount: string, currency = "CDF") {
  const started = await (await tokabola({ type: "addfund", addfund: { from: PAYER.completes, amount, currency } }, token)).json<any>();
  const verify = () => tokabola({ type: "verify", verify: { deposit_id: started.data.deposit_id } }, token);
  await verify();
  expect((await (await verify()).json<any>()).data.status).toBe("COMPLETED");
}

async function expiryOf(accountId: string) {
  return (await env.DB.prepare("SELECT plan, plan_expires_at, auto_pay FROM accounts WHERE id = ?").bind(accountId).first<any>())!;
}

describe("toKABOLA update renew", () => {
  it("debits the plan's price and extends the expiry from the current one while active", async () => {
    const account = await signupWithToken();
    await fund(account.token, "120000");
    const trialEnd = (await expiryOf(account.id)).plan_expires_at;

    const res = await renew(account.token, { auto_pay: true, type: "GOLD" });
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.data).toMatchObject({ type_abonnement: "GOLD", autorisation: true, auto_pay: true, amount: "50000", currency: "CDF" });
    const stored = await expiryOf(account.id);
    expect(stored).toMatchObject({ plan: "GOLD", plan_expires_at: trialEnd + 30 * DAY, auto_pay: 1 });
    expect(body.data.date_expiration).toBe(new Date(stored.plan_expires_at).toISOString().slice(0, 10));
    expect(body.message).toContain("GOLD");

    await renew(account.token, { type: "standard" });
    expect((await expiryOf(account.id)).plan_expires_at).toBe(trialEnd + 60 * DAY);
    expect((await expiryOf(account.id)).auto_pay).toBe(1);

    const solde = await (await tokabola({ type: "solde" }, account.token)).json<any>();
    expect(solde.data.soldes[0].solde).toBe("45000");
    const view = await (await tokabola({ type: "account" }, account.token)).json<any>();
    expect(view.data).toMatchObject({ type_abonnement: "STANDARD", autorisation: true, date_expiration: new Date(trialEnd + 60 * DAY).toISOString().slice(0, 10) });
  });

  it("extends from now once the plan has expired, and account then reports it active again", async () => {
    const account = await signupWithToken();
    await fund(account.token, "25000");
    await env.DB.prepare("UPDATE accounts SET plan_expires_at = ? WHERE id = ?").bind(Date.now() - 10 * DAY, account.id).run();
    // A write behind core's back: drop the cached account snapshots as every core write does.
    await forgetAccountSessions(coreContext(), account.id);
    const before = await (await tokabola({ type: "account" }, account.token)).json<any>();
    expect(before.data.autorisation).toBe(false);

    const started = Date.now();
    expect((await renew(account.token, { type: "STANDARD", auto_pay: false })).status).toBe(200);
    const expiry = (await expiryOf(account.id)).plan_expires_at;
    expect(expiry).toBeGreaterThanOrEqual(started + 30 * DAY);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    const after = await (await tokabola({ type: "account" }, account.token)).json<any>();
    expect(after.data).toMatchObject({ autorisation: true, type_abonnement: "STANDARD" });
  });

  it("refuses with insufficient funds and changes nothing", async () => {
    const account = await signupWithToken();
    await fund(account.token, "20000");
    const before = await expiryOf(account.id);
    const res = await renew(account.token, { auto_pay: true, type: "GOLD" });
    expect(res.status).toBe(402);
    const body = await res.json<any>();
    expect(body).toMatchObject({ status: "error", code: 402 });
    expect(body.message).toContain("Solde insuffisant");
    expect(body.message).toContain("GOLD costs 50000 CDF; available: 20000 CDF");
    expect(await expiryOf(account.id)).toEqual(before);
    const solde = await (await tokabola({ type: "solde" }, account.token)).json<any>();
    expect(solde.data.soldes[0].solde).toBe("20000");
    const entries = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ? AND reason = 'plan'").bind(account.id).first<any>();
    expect(entries.n).toBe(0);
  });

  it("pays from the wallet named by currency, or the first that can pay", async () => {
    const account = await signupWithToken();
    await fund(account.token, "5.00", "USD");
    await fund(account.token, "30000", "CDF");
    const auto = await (await renew(account.token, { type: "STANDARD" })).json<any>();
    expect(auto.data).toMatchObject({ amount: "25000", currency: "CDF" });
    const usd = await renew(account.token, { type: "STANDARD", currency: "USD" });
    expect(usd.status).toBe(402);
    const unpriced = await renew(account.token, { type: "STANDARD", currency: "UGX" });
    expect(unpriced.status).toBe(400);
    expect((await unpriced.json<any>()).errors[0].field).toBe("renew.currency");
  });

  it("validates the plan type and auto_pay", async () => {
    const account = await signupWithToken();
    for (const body of [{ type: "PLATINUM" }, {}, { type: "GOLD", auto_pay: "yes" }, { type: "GOLD", extra: 1 }]) {
      const res = await renew(account.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json<any>()).errors[0].field).toMatch(/^renew/);
    }
  });
});
