import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { ADMIN_TOKEN } from "./helpers";

const admin = (path: string, method = "GET", body?: unknown) =>
  exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("Audit of the operator's existing routes", () => {
  it("records a plan edit made with the admin token, with the plan before and after", async () => {
    const plans = await (await admin("/api/v1/admin/plans")).json<{ plans: { code: string; period_days: number }[] }>();
    const gold = plans.plans.find((p) => p.code === "OWNER")!;
    // The same period: audited like any edit, without changing what other tests read.
    expect((await admin("/api/v1/admin/plans/OWNER", "PUT", { period_days: gold.period_days })).status).toBe(200);
    const { data } = await (await admin("/api/v1/admin/audit?target=plan:OWNER&limit=1")).json<{ data: Record<string, unknown>[] }>();
    expect(data[0]).toMatchObject({ actor: "admin-token", action: "plan.update", target: "plan:OWNER", before: { code: "OWNER", period_days: gold.period_days }, after: { code: "OWNER" } });
  });

  it("pages the log newest first with next_cursor", async () => {
    for (let i = 0; i < 3; i++) await admin("/api/v1/admin/webhooks/rejected/retry", "POST");
    const first = await (await admin("/api/v1/admin/audit?limit=2")).json<{ data: { id: string }[]; next_cursor: string | null }>();
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await (await admin(`/api/v1/admin/audit?limit=2&cursor=${first.next_cursor}`)).json<{ data: { id: string }[] }>();
    expect(second.data.length).toBeGreaterThan(0);
    expect(second.data.map((e) => e.id)).not.toContain(first.data[0]!.id);
    expect((await admin("/api/v1/admin/audit?cursor=abc")).status).toBe(400);
  });
});
