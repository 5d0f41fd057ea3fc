import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, post, signupWithToken } from "../helpers";
import { exports } from "cloudflare:workers";
import { fund, holdsOf, readyNumber, recipient, storeTemplate } from "../messages/helpers";

interface Answer {
  status: string;
  message: string;
  code?: number;
  errors?: { field: string; reason: string }[];
  data?: { campaign_id: string; status: string; total: number; duplicates: number; charge: { amount: string; currency: string } | null; replayed: boolean };
}

const send = async (token: string, type: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await post("/tokabola/v1/", { type, [type]: body }, { Authorization: `Bearer ${token}`, ...headers });
  return { status: res.status, body: await res.json<Answer>() };
};

describe("toKABOLA marketing and utility to several recipients", () => {
  it("answers 202 at once with a campaign id, every recipient held; the campaign is readable with the same token", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id, true);
    await storeTemplate(account.id, { name: "promo_noel", language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Promo {{1}}" }] });
    await fund(account.id, "USD", 100);
    const [a, b] = [recipient(), recipient()];
    const r = await send(account.token, "marketing", { to: [a, b, `+${a}`], name: "promo_noel", language: "fr", parameters: ["-20%"] }, { "Idempotency-Key": `tk-${a}` });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.data).toMatchObject({ status: "running", total: 2, duplicates: 1, charge: { amount: "0.05", currency: "USD" }, replayed: false });
    expect((await holdsOf(account.id)).filter((h) => h.status === "HELD")).toHaveLength(2);
    const again = await send(account.token, "marketing", { to: [a, b, `+${a}`], name: "promo_noel", language: "fr", parameters: ["-20%"] }, { "Idempotency-Key": `tk-${a}` });
    expect(again.body.data).toMatchObject({ campaign_id: r.body.data!.campaign_id, replayed: true });
    const read = await exports.default.fetch(`${BASE}/api/v1/campaigns/${r.body.data!.campaign_id}`, { headers: { Authorization: `Bearer ${account.token}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ total: 2, template: { name: "promo_noel", language: "fr" } });
  });

  it("names the bad recipient by its index in to, and refuses up front in French when the wallet cannot pay for all", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id, true);
    await storeTemplate(account.id, { name: "rappel_rdv", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Rendez-vous {{1}}" }] });
    const bad = await send(account.token, "utility", { to: [recipient(), "12"], name: "rappel_rdv", language: "fr", parameters: ["demain"] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(["utility.to[1]"]);
    await fund(account.id, "USD", 3); // 2 × 2 cents needed
    const poor = await send(account.token, "utility", { to: [recipient(), recipient()], name: "rappel_rdv", language: "fr", parameters: ["demain"] });
    expect(poor.status).toBe(402);
    expect(await holdsOf(account.id)).toEqual([]);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM campaigns WHERE account_id = ?").bind(account.id).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});
