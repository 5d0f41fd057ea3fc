import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the committed OpenAPI document", () => {
  it("is the one the worker serves at /openapi.json (run `npm run client:generate` after changing a route)", async () => {
    const doc = await (await exports.default.fetch("http://tuma.test/openapi.json")).json();
    await expect(JSON.stringify(doc, null, 2) + "\n").toMatchFileSnapshot("../../clients/typescript/openapi.json");
  });
});
