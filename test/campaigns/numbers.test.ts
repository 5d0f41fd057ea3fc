import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCampaign } from "../../src/core/campaigns/create";
import { pacerOf } from "../../src/core/campaigns/model";
import { setThroughput } from "../../src/core/campaigns/throughput";
import { loadConfig, type Env } from "../../src/config/env";
import { BASE, coreContext, signupWithToken } from "../helpers";
import { exports } from "cloudflare:workers";
import { graphSends, metaCtx, storeTemplate } from "../messages/helpers";
import { PROMO, PROMO_MESSAGE, campaignAccount, deliver, newAccount, parkedCampaign, readyNumber, recipientRows, recipients } from "./helpers";

const spacing = (slots: { at: number }[]) => slots.slice(1).map((s, i) => s.at - slots[i]!.at);

describe("each number at its own rate", () => {
  it("two numbers' campaigns run side by side, each paced by its own object at its own throughput", async () => {
    const { accountId, phoneNumberId: a } = await campaignAccount(10_000);
    const b = await readyNumber(accountId, true);
    expect((await setThroughput(metaCtx(), accountId, a, 100)).ok).toBe(true);
    expect((await setThroughput(metaCtx(), accountId, b, 1000)).ok).toBe(true);
    const slow = await parkedCampaign(accountId, recipients(30), { phoneNumberId: a });
    const fast = await parkedCampaign(accountId, recipients(30), { phoneNumberId: b });
    const campaignOf = async (id: string) => (await env.DB.prepare("SELECT deployment_id, account_id FROM campaigns WHERE id = ?").bind(id).first<{ deployment_id: string; account_id: string }>())!;
    const [pa, pb] = [pacerOf(metaCtx(), await campaignOf(slow.id)), pacerOf(metaCtx(), await campaignOf(fast.id))];
    expect([await pa.throughput(), await pb.throughput()]).toEqual([100, 1000]);
    // Permits asked of both at once: each number's spacing is its own rate, and A's queue never delays B.
    const ids = (p: string) => Array.from({ length: 40 }, (_, i) => `${p}${i}`);
    const [sa, sb] = await Promise.all([pa.permits(ids("24381100")), pb.permits(ids("24381200"))]);
    expect(spacing(sa.slots.slice(10)).every((g) => g >= 9 && g <= 11)).toBe(true);
    expect(spacing(sb.slots.slice(100 / 10)).every((g) => g <= 2)).toBe(true);
    expect(sb.slots.at(-1)!.at - sb.slots[0]!.at).toBeLessThan(sa.slots.at(-1)!.at - sa.slots[0]!.at);
    // Both campaigns delivered at the same time: everyone once, from the right number.
    await Promise.all([deliver(slow.chunk, slow.clock), deliver(fast.chunk, fast.clock)]);
    for (const id of [slow.id, fast.id]) {
      const rows = await recipientRows(id);
      expect(rows.every((r) => r.state === "sent")).toBe(true);
      for (const r of rows) expect(await graphSends(r.wa_id)).toBe(1);
    }
  });

  it("the throughput is 1 to 1,000 per number, and another account's number is not found", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(0);
    expect(!(await setThroughput(metaCtx(), accountId, phoneNumberId, 1001)).ok).toBe(true);
    expect(!(await setThroughput(metaCtx(), accountId, phoneNumberId, 0)).ok).toBe(true);
    const other = await newAccount();
    const stolen = await setThroughput(metaCtx(), other, phoneNumberId, 500);
    expect(!stolen.ok && stolen.error.code).toBe("not_found");
    const read = await setThroughput(metaCtx(), accountId, phoneNumberId, null);
    expect(read.ok && read.value.messagesPerSecond).toBe(80);
  });

  it("a campaign cannot use another account's number", async () => {
    const { phoneNumberId } = await campaignAccount(0);
    const { accountId: other } = await campaignAccount(1000);
    const stolen = await createCampaign(metaCtx(), { accountId: other, phoneNumberId, message: PROMO_MESSAGE, recipients: [{ to: recipients(1)[0]!, parameters: ["A"] }] });
    expect(!stolen.ok && [stolen.error.code, stolen.error.message]).toEqual(["not_found", `No number with phone_number_id ${phoneNumberId} in this account`]);
  });
});

describe("configuration", () => {
  it("the chaos switch is off by default and refused in production", () => {
    expect(loadConfig({ ...(env as unknown as Env) } as Env).CHAOS_SEND_BATCH_FAILURE_RATE).toBe(0);
    const production = { ...(env as unknown as Env), ENVIRONMENT: "production", CHAOS_SEND_BATCH_FAILURE_RATE: "0.05" } as Env;
    expect(() => loadConfig(production)).toThrow(/CHAOS_SEND_BATCH_FAILURE_RATE must be 0 in production/);
  });
});

describe("native routes", () => {
  it("POST /api/v1/campaigns answers 202 at once with the campaign; GET reports its progress; the same Idempotency-Key answers it again", async () => {
    const account = await signupWithToken();
    await storeTemplate(account.id, { ...PROMO, category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const to = recipients(3);
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${account.token}`, "Idempotency-Key": `k-${to[0]}` };
    const body = JSON.stringify({ template: PROMO, parameters: ["Amina"], recipients: to, sandbox: true, start_at: new Date(Date.now() + 3_600_000).toISOString() });
    const res = await exports.default.fetch(`${BASE}/api/v1/campaigns`, { method: "POST", headers, body });
    const created = await res.json<{ id: string; state: string; total: number; counts: { queued: number }; price_per_message: unknown }>();
    expect(res.status, JSON.stringify(created)).toBe(202);
    expect(created).toMatchObject({ state: "scheduled", total: 3, counts: { queued: 3 }, price_per_message: null });
    const again = await exports.default.fetch(`${BASE}/api/v1/campaigns`, { method: "POST", headers, body });
    expect(again.status).toBe(200);
    expect((await again.json<{ id: string; replayed: boolean }>())).toMatchObject({ id: created.id, replayed: true });
    const read = await exports.default.fetch(`${BASE}/api/v1/campaigns/${created.id}`, { headers });
    expect(await read.json()).toMatchObject({ id: created.id, counts: { queued: 3, sent: 0 } });
    const cancel = await exports.default.fetch(`${BASE}/api/v1/campaigns/${created.id}/cancel`, { method: "POST", headers });
    expect(await cancel.json()).toMatchObject({ state: "cancelled", counts: { cancelled: 3 } });
    const other = await signupWithToken();
    const stolen = await exports.default.fetch(`${BASE}/api/v1/campaigns/${created.id}`, { headers: { Authorization: `Bearer ${other.token}` } });
    expect(stolen.status).toBe(404);
  });

  it("the same Idempotency-Key with a different campaign answers 409 and creates nothing", async () => {
    const account = await signupWithToken();
    await storeTemplate(account.id, { ...PROMO, category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const to = recipients(3);
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${account.token}`, "Idempotency-Key": `k-${to[0]}` };
    const campaign = (recipientsOf: string[]) =>
      exports.default.fetch(`${BASE}/api/v1/campaigns`, { method: "POST", headers, body: JSON.stringify({ template: PROMO, parameters: ["Amina"], recipients: recipientsOf, sandbox: true }) });
    expect((await campaign(to)).status).toBe(202);
    const reused = await campaign(to.slice(0, 2));
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: "conflict" } });
    const { n } = (await coreContext().db.prepare("SELECT COUNT(*) AS n FROM campaigns WHERE account_id = ?").bind(account.id).first<{ n: number }>())!;
    expect(n).toBe(1);
    expect((await campaign(to)).status).toBe(200);
  });

  it("PUT /api/v1/numbers/{id}/throughput sets the number's rate; over 1,000 is refused", async () => {
    const account = await signupWithToken();
    const pnid = await readyNumber(account.id);
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${account.token}` };
    const url = `${BASE}/api/v1/numbers/${pnid}/throughput`;
    expect((await exports.default.fetch(url, { method: "PUT", headers, body: JSON.stringify({ messages_per_second: 1001 }) })).status).toBe(400);
    const set = await exports.default.fetch(url, { method: "PUT", headers, body: JSON.stringify({ messages_per_second: 200 }) });
    expect(await set.json()).toEqual({ phone_number_id: pnid, messages_per_second: 200 });
    expect(await (await exports.default.fetch(url, { headers })).json()).toEqual({ phone_number_id: pnid, messages_per_second: 200 });
  });
});
