import { describe, expect, it } from "vitest";
import { renderEngagelabError } from "../../src/dialects/engagelab/errors";
import { AppError, ERROR_CODES } from "../../src/lib/errors";

const render = async (error: AppError) => {
  const res = renderEngagelabError(error, "req_1");
  return { status: res.status, body: await res.json<{ code: number; message: string }>(), retryAfter: res.headers.get("Retry-After") };
};

describe("EngageLab error format", () => {
  it("says every application error as {code, message} with one of EngageLab's codes", async () => {
    const seedCodes = [1000, 2001, 2002, 2003, 2004, 3001, 3002, 3003, 4001, 5002];
    for (const code of ERROR_CODES) {
      const { status, body } = await render(new AppError(code, "x"));
      expect(Object.keys(body).sort()).toEqual(["code", "message"]);
      expect(seedCodes).toContain(body.code);
      expect(status).toBeGreaterThanOrEqual(400);
    }
  });

  it("uses the seed's HTTP statuses for the seed's codes", async () => {
    const expected: [AppError, number, number][] = [
      [new AppError("internal", "x"), 1000, 500],
      [new AppError("unauthorized", "x"), 2001, 401],
      [new AppError("unauthorized", "x", { reason: "revoked" }), 2002, 401],
      [new AppError("upstream_failure", "Invalid OAuth access token", { upstreamCode: 190, reason: "upstream_auth" }), 2003, 400],
      [new AppError("upstream_failure", "(#200) Permission", { upstreamCode: 200, reason: "upstream_auth" }), 2003, 400],
      [new AppError("upstream_failure", "Invalid OAuth access token", { upstreamCode: 190 }), 1000, 502],
      [new AppError("upstream_failure", "The message cannot be delivered", { upstreamCode: 131026 }), 1000, 502],
      [new AppError("forbidden", "x"), 2004, 403],
      [new AppError("malformed_body", "x"), 3001, 400],
      [new AppError("invalid_request", "x", { issues: [{ field: "to", kind: "invalid_value", reason: "r" }] }), 3002, 400],
      [new AppError("invalid_request", "Meta refused parameter 2"), 3003, 400],
      [new AppError("not_found", "x"), 4001, 400],
      [new AppError("invalid_request", "x", { reason: "template_rejected" }), 5002, 400],
    ];
    for (const [error, code, status] of expected) {
      const rendered = await render(error);
      expect([rendered.body.code, rendered.status], `${error.code} ${error.details.reason ?? ""}`).toEqual([code, status]);
    }
  });

  it("names each invalid field in the message", async () => {
    const error = new AppError("invalid_request", "Invalid request", {
      issues: [
        { field: "body.template.name", kind: "invalid_format", reason: "must contain only lowercase letters, digits and underscores" },
        { field: "to", kind: "required", reason: "is required" },
      ],
    });
    expect((await render(error)).body.message).toBe("body.template.name: must contain only lowercase letters, digits and underscores; to: is required");
  });

  it("never shows the cause of an internal or unavailable error", async () => {
    for (const code of ["internal", "unavailable"] as const) {
      const { body } = await render(new AppError(code, "D1_ERROR: no such table: secrets at 10.0.0.7"));
      expect(body.message).not.toMatch(/D1|secrets|10\.0/);
    }
  });

  it("passes Retry-After on rate limits", async () => {
    const { status, retryAfter } = await render(new AppError("rate_limited", "Too many requests", { retryAfterSeconds: 7 }));
    expect(status).toBe(429);
    expect(retryAfter).toBe("7");
  });
});
