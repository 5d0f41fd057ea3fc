import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("EngageLab in the API reference", () => {
  it("documents every EngageLab route with the Basic scheme, and GET / lists the mount", async () => {
    const doc = await (await exports.default.fetch("http://tuma.test/openapi.json")).json<{
      paths: Record<string, Record<string, { security: unknown[]; requestBody?: unknown }>>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    }>();
    const expected: [string, string][] = [
      ["/messages", "post"],
      ["/templates", "get"],
      ["/templates", "post"],
      ["/templates/{template}", "get"],
      ["/templates/{template}", "put"],
      ["/templates/{template}", "delete"],
    ];
    for (const [path, method] of expected) expect(doc.paths[`/engagelab/v1${path}`]?.[method]?.security, `${method} ${path}`).toEqual([{ engagelab_basic: [] }]);
    expect(doc.paths["/engagelab/v1/messages"]!.post!.requestBody).toBeDefined();
    expect(doc.components.securitySchemes.engagelab_basic?.scheme).toBe("basic");
    const index = await (await exports.default.fetch("http://tuma.test/")).json<{ dialects: unknown[] }>();
    expect(index.dialects).toContainEqual({ name: "EngageLab", base: "/engagelab/v1/" });
  });
});
