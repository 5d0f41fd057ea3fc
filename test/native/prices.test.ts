import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { BASE } from "../helpers";
import { fund, input, metaCtx, newAccount, readyNumber, recipient, storeTemplate, template, wallet } from "../messages/helpers";

const ADMIN = "test-admin-token";
const call = (method: string, path: string, body?: unknown, token = ADMIN) =>
  exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("native admin prices", () => {
  it("lists the seeded prices per category and currency; service is free", async () => {
    const res = await call("GET", "/api/v1/admin/prices");
    expect(res.status).toBe(200);
    const { prices } = await res.json<{ prices: { category: string; currency: string; amount: string; amount_minor: number }[] }>();
    expect(prices).toContainEqual({ category: "utility", currency: "CDF", amount: "60", amount_minor: 60 });
    expect(prices).toContainEqual({ category: "marketing", currency: "USD", amount: "0.05", amount_minor: 5 });
    expect(prices.filter((p) => p.category === "service").every((p) => p.amount_minor === 0)).toBe(true);
  });

  it("needs the admin token; refuses unknown categories and bad amounts", async () => {
    expect((await call("GET", "/api/v1/admin/prices", undefined, "wrong-token-wrong-token")).status).toBe(401);
    expect((await call("PUT", "/api/v1/admin/prices/spam", { prices: { CDF: "1" } })).status).toBe(404);
    const bad = await call("PUT", "/api/v1/admin/prices/utility", { prices: { CDF: "1.5" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("prices.CDF");
  });

  it("a new price applies to the next send, and null removes it", async () => {
    const set = await call("PUT", "/api/v1/admin/prices/utility", { prices: { GHS: "0.07" } });
    expect(set.status).toBe(200);
    expect((await set.json<{ prices: unknown[] }>()).prices).toContainEqual({ category: "utility", currency: "GHS", amount: "0.07", amount_minor: 7 });

    const accountId = await newAccount();
    await readyNumber(accountId, true);
    await storeTemplate(accountId, { name: "recu", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Reçu" }] });
    await fund(accountId, "GHS", 100);
    const sent = await sendMessage(metaCtx(), input(accountId, template(recipient(), "recu", "fr")));
    expect(sent.ok && sent.value.charge).toEqual({ currency: "GHS", amount: 7 });
    expect(await wallet(accountId, "GHS")).toEqual({ balance: 93, held: 0 });

    const removed = await call("PUT", "/api/v1/admin/prices/utility", { prices: { GHS: null } });
    expect((await removed.json<{ prices: { currency: string }[] }>()).prices.map((p) => p.currency)).not.toContain("GHS");
  });
});
