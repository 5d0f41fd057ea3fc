import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { describe, expect, it } from "vitest";
import { getAccount } from "../../src/core/accounts/accounts";
import { listPlans, updatePlan } from "../../src/core/plans/plans";
import { postHoldStatement, reserveHoldStatement, type HoldRow } from "../../src/stores/money/holds";
import { depositReference, holdReference } from "../../src/stores/money/references";
import { renewPlan } from "../../src/core/plans/subscription";
import { unwrap } from "../../src/lib/errors";
import { BASE, coreContext, post, signupWithToken } from "../helpers";
import { topUp } from "../money/helpers";

const get = (path: string, token?: string) =>
  exports.default.fetch(`${BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const put = (path: string, body: unknown, token?: string) =>
  exports.default.fetch(`${BASE}${path}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const ADMIN = "test-admin-token";

describe("native wallets and ledger", () => {
  it("lists wallets with balance, held and available", async () => {
    const account = await signupWithToken();
    const ctx = coreContext();
    await topUp(ctx, account.id, "30000");
    await topUp(ctx, account.id, "12.34", "USD");
    await reserveHoldStatement(ctx.db, { accountId: account.id, currency: "USD", amount: 234, reference: "m1", expiresAt: Date.now() + 60_000, now: Date.now() }).run();
    const res = await get("/api/v1/wallets", account.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      wallets: [
        { currency: "CDF", decimals: 0, balance: "30000", held: "0", available: "30000" },
        { currency: "USD", decimals: 2, balance: "12.34", held: "2.34", available: "10.00" },
      ],
    });
    expect((await get("/api/v1/wallets")).status).toBe(401);
  });

  it("pages through the statement, newest first, and filters by currency", async () => {
    const account = await signupWithToken();
    const ctx = coreContext();
    const depositId = await topUp(ctx, account.id, "60000");
    await topUp(ctx, account.id, "1.00", "USD");
    unwrap(await renewPlan(ctx, account.id, { plan: "STANDARD", currency: "CDF" }));
    const hold = (await reserveHoldStatement(ctx.db, { accountId: account.id, currency: "CDF", amount: 200, reference: "msg-9", expiresAt: Date.now() + 60_000, now: Date.now() }).first<HoldRow>())!;
    await postHoldStatement(ctx.db, account.id, "msg-9", Date.now()).run();

    const first = await (await get("/api/v1/ledger?limit=2", account.token)).json<any>();
    expect(first.entries.map((e: any) => [e.reason, e.amount, e.currency])).toEqual([["hold", "-200", "CDF"], ["plan", "-25000", "CDF"]]);
    expect(first.entries[0]).toMatchObject({ reference: holdReference(hold.id), memo: "msg-9" });
    expect(first.entries[1].memo).toBe("STANDARD 30 days");
    expect(first.entries[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const second = await (await get(`/api/v1/ledger?limit=2&before=${first.next_before}`, account.token)).json<any>();
    expect(second.entries.map((e: any) => e.amount)).toEqual(["1.00", "60000"]);
    expect(second.entries[1].reference).toBe(depositReference(depositId));
    expect(second.next_before).toBeNull();

    const usd = await (await get("/api/v1/ledger?currency=USD", account.token)).json<any>();
    expect(usd.entries.map((e: any) => e.amount)).toEqual(["1.00"]);
    expect(usd.next_before).toBeNull();
    expect((await get("/api/v1/ledger?limit=500", account.token)).status).toBe(400);
    expect((await get("/api/v1/ledger?currency=EUR", account.token)).status).toBe(400);
  });

  it("shows each account only its own money", async () => {
    const alice = await signupWithToken();
    const bob = await signupWithToken();
    await topUp(coreContext(), alice.id, "100");
    expect(await (await get("/api/v1/wallets", bob.token)).json()).toEqual({ wallets: [] });
    expect((await (await get("/api/v1/ledger", bob.token)).json<any>()).entries).toEqual([]);
  });

  it("lists the plans to account holders", async () => {
    const account = await signupWithToken();
    const plans = (await (await get("/api/v1/plans", account.token)).json<any>()).plans;
    expect(plans.map((p: any) => p.code)).toEqual(["STANDARD", "GOLD", "OWNER"]);
    expect(plans[1]).toMatchObject({ period_days: 30, prices: { CDF: "50000", USD: "20.00" } });
  });
});

describe("native admin plans", () => {
  it("needs the admin token, compared exactly", async () => {
    const account = await signupWithToken();
    for (const token of [undefined, account.token, `${ADMIN}x`, ADMIN.slice(0, -1)]) {
      const res = await get("/api/v1/admin/plans", token);
      expect(res.status, String(token)).toBe(401);
      expect((await res.json<any>()).error.code).toBe("unauthorized");
    }
    expect((await put("/api/v1/admin/plans/GOLD", { period_days: 31 }, account.token)).status).toBe(401);
    expect((await get("/api/v1/admin/plans", ADMIN)).status).toBe(200);
  });

  it("is off when ADMIN_TOKEN is not configured", async () => {
    const res = await handleFetch(
      new Request(`${BASE}/api/v1/admin/plans`, { headers: { Authorization: `Bearer ${ADMIN}` } }),
      { ...(env as unknown as Env), ADMIN_TOKEN: undefined },
      createExecutionContext(),
    );
    expect(res.status).toBe(403);
    expect((await res.json<any>()).error.message).toContain("ADMIN_TOKEN");
  });

  it("changes a plan's period and prices, which the next renewal uses", async () => {
    const ctx = coreContext();
    const before = (await listPlans(ctx)).find((p) => p.code === "OWNER")!;
    try {
      const res = await put("/api/v1/admin/plans/owner", { period_days: 45, prices: { XAF: "30000", KES: null, UGX: 90000 } }, ADMIN);
      expect(res.status).toBe(200);
      const plan = await res.json<any>();
      expect(plan).toMatchObject({ code: "OWNER", period_days: 45, prices: { CDF: "100000", USD: "40.00", XAF: "30000", XOF: "24000", UGX: "90000" } });
      expect(plan.prices.KES).toBeUndefined();
      expect(plan.updated_at).toMatch(/^\d{4}-/);
      const listed = (await (await get("/api/v1/admin/plans", ADMIN)).json<any>()).plans.find((p: any) => p.code === "OWNER");
      expect(listed).toEqual(plan);

      const account = await signupWithToken();
      await topUp(ctx, account.id, "100000");
      const trialEnd = unwrap(await getAccount(ctx, account.id)).plan_expires_at;
      const renewal = unwrap(await renewPlan(ctx, account.id, { plan: "OWNER" }));
      expect(renewal.account.plan_expires_at).toBe(trialEnd + 45 * 86_400_000);
    } finally {
      // Test files share the database: the plan goes back as this test found it.
      const { XAF = null, KES = null, UGX = null } = before.prices;
      unwrap(await updatePlan(ctx, "OWNER", { periodDays: before.periodDays, prices: { XAF, KES, UGX } }));
    }
  });

  it("validates the change", async () => {
    const cases: [string, unknown, number][] = [
      ["/api/v1/admin/plans/GOLD", { prices: { CDF: "10.5" } }, 400],
      ["/api/v1/admin/plans/GOLD", { prices: { EUR: "10" } }, 400],
      ["/api/v1/admin/plans/GOLD", { period_days: 0 }, 400],
      ["/api/v1/admin/plans/GOLD", {}, 400],
      ["/api/v1/admin/plans/GOLD", { price: 1 }, 400],
      ["/api/v1/admin/plans/PLATINUM", { period_days: 30 }, 404],
    ];
    for (const [path, body, status] of cases) {
      const res = await put(path, body, ADMIN);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    const issues = (await (await put("/api/v1/admin/plans/GOLD", { prices: { CDF: "10.5" } }, ADMIN)).json<any>()).error.issues;
    expect(issues).toEqual([{ field: "prices.CDF", reason: "CDF amounts have no decimals" }]);
  });
});

describe("pawaPay callback route", () => {
  it("acknowledges unknown ids and bodies without a depositId", async () => {
    expect(await (await post("/webhooks/pawapay", { depositId: crypto.randomUUID(), status: "COMPLETED" })).json()).toEqual({ status: "ignored" });
    const odd = await post("/webhooks/pawapay", { hello: "world" });
    expect(odd.status).toBe(200);
    expect(await odd.json()).toEqual({ status: "ignored" });
    const broken = await post("/webhooks/pawapay", "{not json");
    expect(broken.status).toBe(400);
    expect((await broken.json<any>()).error.code).toBe("malformed_body");
  });
});
