import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signupWithToken } from "../helpers";
import { storeTemplate } from "../messages/helpers";
import { PROMO, recipients } from "./helpers";

type Page = { campaigns: { id: string; state: string }[]; next_cursor: string | null };

/** An account with `n` sandbox campaigns starting in an hour (scheduled), oldest first. */
async function accountWithCampaigns(n: number) {
  const account = await signupWithToken();
  await storeTemplate(account.id, { ...PROMO, category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${account.token}` };
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ template: PROMO, parameters: ["Amina"], recipients: recipients(2), sandbox: true, start_at: new Date(Date.now() + 3_600_000).toISOString() });
    const res = await exports.default.fetch(`${BASE}/api/v1/campaigns`, { method: "POST", headers, body });
    ids.push((await res.json<{ id: string }>()).id);
  }
  const list = async (query = "") => {
    const res = await exports.default.fetch(`${BASE}/api/v1/campaigns${query}`, { headers });
    return { status: res.status, body: await res.json<Page & { error?: { code: string; issues?: { field: string }[] } }>() };
  };
  return { headers, ids, list };
}

describe("GET /api/v1/campaigns", () => {
  it("pages through the account's campaigns newest first, each once, and filters by state", async () => {
    const { headers, ids, list } = await accountWithCampaigns(3);
    await exports.default.fetch(`${BASE}/api/v1/campaigns/${ids[0]}/cancel`, { method: "POST", headers });
    const first = await list("?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.campaigns.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await list(`?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.campaigns.map((c) => c.id)).toEqual([ids[0]]);
    expect(second.body.next_cursor).toBeNull();
    expect((await list("?state=cancelled")).body.campaigns.map((c) => [c.id, c.state])).toEqual([[ids[0], "cancelled"]]);
    expect((await list("?state=scheduled")).body.campaigns.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect((await list("?state=running")).body.campaigns).toEqual([]);
  });

  it("answers 400 for a cursor it did not give or an unknown state, and another account's list holds none of these", async () => {
    const { list } = await accountWithCampaigns(1);
    const forged = await list(`?cursor=${btoa("1:cmp_x")}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error?.issues?.[0]?.field).toBe("cursor");
    expect((await list("?state=sending")).status).toBe(400);
    const other = await signupWithToken();
    const res = await exports.default.fetch(`${BASE}/api/v1/campaigns`, { headers: { Authorization: `Bearer ${other.token}` } });
    expect(await res.json()).toEqual({ campaigns: [], next_cursor: null });
  });
});
