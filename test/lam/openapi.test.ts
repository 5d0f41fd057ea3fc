import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Schema = { oneOf?: unknown[]; anyOf?: unknown[]; $ref?: string };
type Operation = { security: unknown[]; requestBody?: { content: Record<string, { schema: Schema }> } };

describe("LAfricaMobile routes in the API reference", () => {
  it("every LAM operation is in /openapi.json with the LAM-API-KEY scheme, and GET / lists the mount", async () => {
    const doc = await (await exports.default.fetch("http://tuma.test/openapi.json")).json<{
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, Schema> };
    }>();
    for (const [path, method] of [["/lam/messages", "post"], ["/lam/health", "get"], ["/lam/configs/templates", "get"]]) {
      expect(doc.paths[path!]?.[method!]?.security, path).toEqual([{ lam_api_key: [] }]);
    }
    // The ten message types, or a read receipt: one list of eleven alternatives.
    const body = doc.paths["/lam/messages"]!.post!.requestBody!.content["application/json"]!.schema;
    const alternatives = (body.oneOf ?? body.anyOf) as (Schema & { properties?: Record<string, { enum?: unknown[] }> })[];
    expect(alternatives).toHaveLength(11);
    expect(alternatives.filter((a) => a.properties?.status?.enum?.includes("read"))).toHaveLength(1);
    expect(doc.paths["/api/v1/numbers/{phone_number_id}/api-key"]?.post?.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.components.securitySchemes.lam_api_key).toMatchObject({ type: "apiKey", in: "header", name: "LAM-API-KEY" });
    const index = await (await exports.default.fetch("http://tuma.test/")).json<{ dialects: unknown[] }>();
    expect(index.dialects).toContainEqual({ name: "LAfricaMobile / 360dialog", base: "/lam/" });
  });

  it("an unknown LAM path answers in the On-Premise error shape", async () => {
    const res = await exports.default.fetch("http://tuma.test/lam/v1/nothing");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ code: 1006, title: "Resource not found", details: expect.any(String) }], meta: { api_status: "stable", version: expect.any(String) } });
  });
});
