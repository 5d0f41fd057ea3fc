import { describe, expect, it } from "vitest";
import { sendFault } from "../../src/core/messages/send-errors";
import { renderGraphError } from "../../src/dialects/cloud-api/errors";
import { AppError } from "../../src/lib/errors";
import type { FaultKind } from "../../src/upstreams/whatsapp/types";

async function graphError(error: AppError) {
  const res = renderGraphError(error, "req_test");
  const body = await res.json<{ error: { code: number; message: string; type: string; is_transient: boolean; fbtrace_id: string; error_subcode?: number; error_data: { details: string } } }>();
  return { status: res.status, retryAfter: res.headers.get("Retry-After"), ...body.error };
}

describe("Graph's error envelope, with the code Meta answers for the same trouble", () => {
  it("Meta's refusals of a send keep Meta's own code: window 131047, throughput 130429, pair limit 131056, template 132001, recipient 131026/131030", async () => {
    const cases: [FaultKind, number, number, number][] = [
      ["window_closed", 131047, 400, 131047],
      ["throughput_limited", 130429, 429, 130429],
      ["pair_limited", 131056, 429, 131056],
      ["template_missing", 132001, 404, 132001],
      ["undeliverable", 131026, 400, 131026],
      ["invalid_input", 131030, 400, 131030],
    ];
    for (const [kind, metaCode, status, code] of cases) {
      const e = await graphError(sendFault({ kind, message: "Meta said no", code: metaCode }));
      expect(e, kind).toMatchObject({ status, code, type: expect.any(String), fbtrace_id: "req_test" });
      expect(e.message).toMatch(new RegExp(`^\\(#${code}\\) `));
    }
    const pair = await graphError(sendFault({ kind: "pair_limited", message: "slow down", code: 131056 }));
    expect(pair).toMatchObject({ is_transient: true, retryAfter: expect.stringMatching(/^\d+$/) });
  });

  it("Tuma's own refusals in Meta's words: 190 bad or expired token, 100 invalid parameter naming the field, 132001 template missing, 131042 payment, 133010 number not registered", async () => {
    expect(await graphError(new AppError("unauthorized", "no"))).toMatchObject({ status: 401, code: 190 });
    expect(await graphError(new AppError("token_expired", "old"))).toMatchObject({ status: 401, code: 190, error_subcode: 463 });
    const invalid = await graphError(new AppError("invalid_request", "bad", { issues: [{ field: "text.body", kind: "required", reason: "is required" }] }));
    expect(invalid).toMatchObject({ status: 400, code: 100, error_data: { details: "text.body: is required" } });
    const count = await graphError(new AppError("invalid_request", "bad", { issues: [{ field: "template.components", kind: "count_mismatch", reason: "needs 2" }] }));
    expect(count).toMatchObject({ status: 400, code: 132000 });
    expect(await graphError(new AppError("not_found", "no such template", { reason: "template_not_found" }))).toMatchObject({ status: 404, code: 132001 });
    expect(await graphError(new AppError("insufficient_funds", "broke"))).toMatchObject({ status: 400, code: 131042 });
    expect(await graphError(new AppError("conflict", "not ready", { reason: "number_not_ready" }))).toMatchObject({ status: 400, code: 133010 });
    expect(await graphError(new AppError("rate_limited", "slow", { retryAfterSeconds: 2 }))).toMatchObject({ status: 429, code: 130429, retryAfter: "2" });
  });

  it("internal errors say nothing of their cause", async () => {
    const e = await graphError(new AppError("internal", "D1_ERROR: SELECT secret FROM x"));
    expect(e).toMatchObject({ status: 500, code: 131000, is_transient: true });
    expect(JSON.stringify(e)).not.toContain("D1_ERROR");
  });
});
