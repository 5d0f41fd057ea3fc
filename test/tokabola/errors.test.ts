import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { BASE, post, tokabola } from "../helpers";

describe("toKABOLA request errors", () => {
  it("answers a missing type with 1001 naming the valid types", async () => {
    const res = await tokabola({ signup: {} });
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body).toMatchObject({ status: "error", code: 1001 });
    expect(body.errors[0].field).toBe("type");
    expect(body.errors[0].reason).toBe("must be one of: signup, token, update, account, add, number, addfund, verify, solde, assistance, auth, marketing, utility");
  });

  it("answers an unknown type the same way", async () => {
    const res = await tokabola({ type: "dance" });
    expect((await res.json<any>()).errors[0].field).toBe("type");
  });

  it("answers malformed JSON with 1001", async () => {
    const res = await post("/tokabola/v1/", '{"type": "signup",');
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body.code).toBe(1001);
    expect(body.message).toContain("not valid JSON");
  });

  it("answers a JSON array or scalar with 1001", async () => {
    for (const raw of ["[1,2]", "42", '"signup"']) {
      const res = await post("/tokabola/v1/", raw);
      expect(res.status).toBe(400);
      expect((await res.json<any>()).code).toBe(1001);
    }
  });

  it("answers a non-JSON content type with 1001", async () => {
    const res = await post("/tokabola/v1/", "type=signup", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).message).toContain("Content-Type");
  });

  it("answers an empty body with 1001", async () => {
    const res = await post("/tokabola/v1/", "");
    expect(res.status).toBe(400);
    expect((await res.json<any>()).code).toBe(1001);
  });

  it("refuses a body over 1 MB with 413 and 1001, declared or streamed", async () => {
    const huge = JSON.stringify({ type: "signup", signup: { name: "x".repeat(1024 * 1024) } });
    const declared = await post("/tokabola/v1/", huge);
    expect(declared.status).toBe(413);
    expect((await declared.json<any>()).code).toBe(1001);

    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await exports.default.fetch(`${BASE}/tokabola/v1/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stream,
    });
    expect(streamed.status).toBe(413);
  });

  it("answers an unknown path under /tokabola in its own format", async () => {
    const res = await post("/tokabola/v2/", { type: "signup" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: "error", code: 404 });
  });

  it("turns an unexpected failure into a bare 500 that leaks nothing", async () => {
    const brokenDb = {
      prepare() {
        throw new Error("SQLITE_CORRUPT: secret table accounts(key_hash)");
      },
    };
    const request = new Request(`${BASE}/tokabola/v1/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "signup", signup: { name: "Panne" } }),
    });
    const res = await handleFetch(request, { ...(env as unknown as Env), DB: brokenDb as unknown as D1Database }, createExecutionContext());
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/SQLITE|key_hash|stack|Error:/);
    expect(JSON.parse(text)).toMatchObject({ status: "error", code: 500 });
  });

  it("carries a request id header on success and error, echoed in the error body", async () => {
    const res = await tokabola({ type: "nope" });
    const id = res.headers.get("X-Request-Id");
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect((await res.json<any>()).request_id).toBe(id);
    const given = await post("/tokabola/v1/", { type: "nope" }, { "X-Request-Id": "client-trace-12345" });
    expect(given.headers.get("X-Request-Id")).toBe("client-trace-12345");
  });
});
