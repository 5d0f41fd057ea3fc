import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// Tests call the Worker itself, past the asset router a deployed request meets first, so the
// static files are read through the ASSETS binding: the same directory and html_handling.
describe("/docs", () => {
  it("serves Scalar's reference page over /openapi.json, loading no remote script or font", async () => {
    const res = await env.ASSETS.fetch("http://tuma.test/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('url: "/openapi.json"');
    expect(html).toContain('<script src="/docs/scalar-api-reference.js"></script>');
    expect(html).toContain("withDefaultFonts: false");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("serves the Scalar bundle itself, from the Worker's own files", async () => {
    const res = await env.ASSETS.fetch("http://tuma.test/docs/scalar-api-reference.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("javascript");
    expect(await res.text()).toContain("createApiReference");
  });
});
