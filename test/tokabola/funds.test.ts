import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signupWithToken, tokabola } from "../helpers";
import { PAYER } from "../money/helpers";

const addfund = (token: string, addfund: Record<string, unknown>) => tokabola({ type: "addfund", addfund }, token);
const verify = (token: string, deposit_id: string) => tokabola({ type: "verify", verify: { deposit_id } }, token);

describe("toKABOLA addfund → verify → solde", () => {
  it("tops up in the sandbox: pending at first, credited once on completion", async () => {
    const account = await signupWithToken();
    const started = await addfund(account.token, { from: PAYER.completes, amount: "25000", currency: "CDF" });
    expect(started.status).toBe(200);
    const body = await started.json<any>();
    expect(body.status).toBe("success");
    expect(body.data).toMatchObject({ status: "PENDING", amount: "25000", currency: "CDF", from: PAYER.completes, provider: "VODACOM_MPESA_COD" });
    expect(body.data.deposit_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.data.instructions).toContain("code PIN Vodacom M-Pesa");

    const first = await (await verify(account.token, body.data.deposit_id)).json<any>();
    expect(first.data.status).toBe("PENDING");
    const second = await (await verify(account.token, body.data.deposit_id)).json<any>();
    expect(second.data).toMatchObject({ status: "COMPLETED", amount: "25000", solde: "25000" });
    expect(second.message).toContain("25000 CDF crédités");
    const third = await (await verify(account.token, body.data.deposit_id)).json<any>();
    expect(third.data).toMatchObject({ status: "COMPLETED", solde: "25000" });

    const solde = await (await tokabola({ type: "solde" }, account.token)).json<any>();
    expect(solde.data.soldes).toEqual([{ currency: "CDF", solde: "25000", disponible: "25000", reserve: "0" }]);
    expect(solde.data).toMatchObject({ type_abonnement: "TRIAL", autorisation: true, auto_pay: false });
  });

  it("reports a failed deposit with a French reason and credits nothing", async () => {
    const account = await signupWithToken();
    const cases: [string, string][] = [
      [PAYER.notApproved, "dépôt non confirmé par le payeur"],
      [PAYER.insufficient, "solde insuffisant sur le compte mobile money"],
      [PAYER.notFound, "numéro non enregistré au mobile money"],
      [PAYER.limit, "limite de transactions du compte mobile money atteinte"],
      [PAYER.unspecified, "échec non précisé par l'opérateur"],
    ];
    for (const [from, reason] of cases) {
      const id = (await (await addfund(account.token, { from, amount: 1000, currency: "CDF" })).json<any>()).data.deposit_id;
      const res = await (await verify(account.token, id)).json<any>();
      expect(res.data).toMatchObject({ status: "FAILED", raison: reason });
      expect(res.message).toContain(reason);
    }
    const solde = await (await tokabola({ type: "solde" }, account.token)).json<any>();
    expect(solde.data.soldes).toEqual([]);
  });

  it("keeps a stuck deposit pending", async () => {
    const account = await signupWithToken();
    const id = (await (await addfund(account.token, { from: PAYER.stuck, amount: "500", currency: "CDF" })).json<any>()).data.deposit_id;
    for (let i = 0; i < 3; i++) expect((await (await verify(account.token, id)).json<any>()).data.status).toBe("PENDING");
  });

  it("accepts the amount as a string or a number, in the currency's decimals", async () => {
    const account = await signupWithToken();
    for (const [amount, currency, shown] of [["10.50", "USD", "10.50"], [10.5, "USD", "10.50"], [25000, "CDF", "25000"], ["7", "usd", "7.00"]] as const) {
      const res = await addfund(account.token, { from: PAYER.completes, amount, currency });
      expect(res.status, `${amount} ${currency}`).toBe(200);
      expect((await res.json<any>()).data.amount).toBe(shown);
    }
  });

  it("refuses a malformed amount, number or currency, naming the field", async () => {
    const account = await signupWithToken();
    const cases: [Record<string, unknown>, string][] = [
      [{ from: PAYER.completes, amount: true, currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: null, currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: "10.5", currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: "10.505", currency: "USD" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: "-5", currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: "0", currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: "1e3", currency: "CDF" }, "addfund.amount"],
      [{ from: PAYER.completes, amount: 0.1 + 0.2, currency: "USD" }, "addfund.amount"],
      [{ from: "12345", amount: "100", currency: "CDF" }, "addfund.from"],
      [{ from: "243901234567", amount: "100", currency: "CDF" }, "addfund.from"],
      [{ from: "33612345678", amount: "100", currency: "EUR" }, "addfund.currency"],
      [{ from: PAYER.completes, amount: "100", currency: "XOF" }, "addfund.currency"],
      [{ from: PAYER.completes, amount: "100" }, "addfund.currency"],
      [{ from: PAYER.completes, amount: "100", currency: "CDF", provider: "MTN_MOMO_CMR" }, "addfund.provider"],
    ];
    for (const [body, field] of cases) {
      const res = await addfund(account.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await res.json<any>();
      expect(error.code).toBe(1001);
      expect(error.errors.map((e: any) => e.field), JSON.stringify(body)).toContain(field);
    }
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM deposits d JOIN accounts a ON a.id = d.account_id WHERE a.id = ?")
      .bind(account.id)
      .first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("refuses a deposit above the currency's maximum (10^15 minor units included) and records nothing", async () => {
    const account = await signupWithToken();
    for (const [amount, currency] of [["1000000000000000", "CDF"], ["25000001", "CDF"], ["10000.01", "USD"]]) {
      const res = await addfund(account.token, { from: PAYER.completes, amount, currency });
      expect(res.status, amount).toBe(400);
      const error = await res.json<any>();
      expect(error.code).toBe(1001);
      expect(error.errors).toContainEqual({ field: "addfund.amount", reason: currency === "CDF" ? "must be at most 25000000 CDF" : "must be at most 10000.00 USD" });
    }
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM deposits WHERE account_id = ?").bind(account.id).first<{ n: number }>();
    expect(count!.n).toBe(0);
    expect((await addfund(account.token, { from: PAYER.completes, amount: "25000000", currency: "CDF" })).status).toBe(200);
  });

  it("predicts the provider from the prefix and honours a named one", async () => {
    const account = await signupWithToken();
    const provider = async (from: string, extra: Record<string, unknown> = {}) =>
      (await (await addfund(account.token, { from, amount: "100", currency: "CDF", ...extra })).json<any>()).data.provider;
    expect(await provider("243973456789")).toBe("AIRTEL_COD");
    expect(await provider("+243 89 345 6789")).toBe("ORANGE_COD");
    expect(await provider("00243823456789")).toBe("VODACOM_MPESA_COD");
    expect(await provider("243813456789", { provider: "AIRTEL_COD" })).toBe("AIRTEL_COD");
  });

  it("does not show another account's deposit", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    const id = (await (await addfund(alice.token, { from: PAYER.completes, amount: "100", currency: "CDF" })).json<any>()).data.deposit_id;
    const res = await verify(bob.token, id);
    expect(res.status).toBe(404);
    expect((await res.json<any>()).code).toBe(404);
    expect((await verify(bob.token, crypto.randomUUID())).status).toBe(404);
    expect((await verify(bob.token, "b75bXXXX")).status).toBe(400);
  });

  it("needs a bearer token", async () => {
    for (const body of [{ type: "addfund", addfund: {} }, { type: "verify", verify: {} }, { type: "solde" }]) {
      expect((await tokabola(body)).status).toBe(401);
    }
  });
});
