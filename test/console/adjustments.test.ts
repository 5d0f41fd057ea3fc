import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, signupWithToken } from "../helpers";
import { adminLogin, withSession, type ConsoleSession } from "./helpers";

const balanceOf = async (token: string) => {
  const res = await exports.default.fetch(`${BASE}/api/v1/wallets`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json<{ wallets: { currency: string; balance: string }[] }>()).wallets.find((w) => w.currency === "CDF")?.balance ?? null;
};

describe("Operator adjustments", () => {
  let admin: ConsoleSession;
  beforeAll(async () => {
    admin = await adminLogin();
  });
  const adjust = (accountId: string, body: unknown, key?: string) =>
    exports.default.fetch(`${BASE}/api/v1/admin/accounts/${accountId}/adjustments`, {
      method: "POST",
      headers: { Cookie: admin.cookie, "X-CSRF-Token": admin.csrf, "Content-Type": "application/json", ...(key ? { "Idempotency-Key": key } : {}) },
      body: JSON.stringify(body),
    });

  it("credits with a reason: one ledger entry naming the operator action, visible to the account, and its audit entry", async () => {
    const account = await signupWithToken();
    const res = await adjust(account.id, { currency: "CDF", amount: 5000, direction: "credit", reason: "Ticket 4521" });
    expect(res.status).toBe(201);
    const { entry, audit_id } = await res.json<{ entry: Record<string, unknown>; audit_id: string }>();
    expect(entry).toMatchObject({ currency: "CDF", amount: "5000", reason: "adjustment", reference: `adjustment:${audit_id}`, memo: "operator credit: Ticket 4521" });
    expect(await balanceOf(account.token)).toBe("5000");
    const ledger = await exports.default.fetch(`${BASE}/api/v1/ledger`, { headers: { Authorization: `Bearer ${account.token}` } });
    expect((await ledger.json<{ entries: unknown[] }>()).entries).toEqual([entry]);
    const adminLedger = await withSession(admin, `/api/v1/admin/accounts/${account.id}/ledger`);
    expect((await adminLedger.json<{ entries: unknown[] }>()).entries).toEqual([entry]);
    const audit = await withSession(admin, `/api/v1/admin/audit?target=account:${account.id}`);
    expect((await audit.json<{ data: unknown[] }>()).data).toEqual([
      {
        id: audit_id,
        at: expect.any(String),
        actor: expect.stringMatching(/^session:/),
        action: "account.credit",
        target: `account:${account.id}`,
        before: { currency: "CDF", balance: 0, held: 0 },
        after: { currency: "CDF", balance: 5000, held: 0, ledger_reference: `adjustment:${audit_id}` },
        reason: "Ticket 4521",
      },
    ]);
  });

  it("never debits below zero: the refused debit writes neither an entry nor an audit entry", async () => {
    const account = await signupWithToken();
    expect((await adjust(account.id, { currency: "CDF", amount: 5000, direction: "credit", reason: "goodwill" })).status).toBe(201);
    const refused = await adjust(account.id, { currency: "CDF", amount: 5001, direction: "debit", reason: "too much" });
    expect(refused.status).toBe(402);
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe("insufficient_funds");
    expect(await balanceOf(account.token)).toBe("5000");
    const debit = await adjust(account.id, { currency: "CDF", amount: 5000, direction: "debit", reason: "chargeback" });
    expect(debit.status).toBe(201);
    expect((await debit.json<{ entry: { amount: string } }>()).entry.amount).toBe("-5000");
    expect(await balanceOf(account.token)).toBe("0");
    const audit = await withSession(admin, `/api/v1/admin/audit?target=account:${account.id}`);
    expect((await audit.json<{ data: { action: string }[] }>()).data.map((e) => e.action)).toEqual(["account.debit", "account.credit"]);
  });

  it("answers a retry with the same Idempotency-Key with the first entry, moving no money; another body with it is a conflict", async () => {
    const account = await signupWithToken();
    const body = { currency: "CDF", amount: 700, direction: "credit", reason: "retry me" };
    const first = await adjust(account.id, body, "support-4521");
    const again = await adjust(account.id, body, "support-4521");
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(await again.json()).toEqual(await first.json());
    expect(await balanceOf(account.token)).toBe("700");
    expect((await adjust(account.id, { ...body, amount: 800 }, "support-4521")).status).toBe(409);
  });

  it("refuses an adjustment without a reason, with a bad amount, or for no account", async () => {
    const account = await signupWithToken();
    for (const body of [
      { currency: "CDF", amount: 100, direction: "credit" },
      { currency: "CDF", amount: 100, direction: "credit", reason: "  " },
      { currency: "CDF", amount: 0, direction: "credit", reason: "x" },
      { currency: "CDF", amount: 1.5, direction: "credit", reason: "x" },
      { currency: "EUR", amount: 100, direction: "credit", reason: "x" },
      { currency: "CDF", amount: 100, direction: "gift", reason: "x" },
    ]) {
      expect((await adjust(account.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await adjust("999", { currency: "CDF", amount: 100, direction: "credit", reason: "x" })).status).toBe(404);
    expect(await balanceOf(account.token)).toBeNull();
  });
});
