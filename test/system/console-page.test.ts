import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { workerFetch } from "../helpers";

// The console's files are read through the ASSETS binding (tests call the Worker past the asset
// router); its deep links, which have no file, reach the Worker itself.
describe("/console", () => {
  it("serves the console's page, loading only its own stylesheet and bundle", async () => {
    const res = await env.ASSETS.fetch("http://tuma.test/console");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/console/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/console/console.css">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self';`);
  });

  it("serves the built bundle, and not the sources it is built from", async () => {
    const bundle = await env.ASSETS.fetch("http://tuma.test/console/app.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("Content-Type")).toContain("javascript");
    expect((await env.ASSETS.fetch("http://tuma.test/console/src/main.js")).status).toBe(404);
  });

  it("answers a screen's deep link, customer's or operator's, with the console's page, never to be framed", async () => {
    const page = await (await env.ASSETS.fetch("http://tuma.test/console")).text();
    for (const path of ["/console/admin", "/console/admin/accounts/acc_1", "/console/messages/msg_1"]) {
      const res = await workerFetch(`http://tuma.test${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("X-Frame-Options"), path).toBe("DENY");
      expect(res.headers.get("Content-Security-Policy"), path).toBe("frame-ancestors 'none'");
      expect(await res.text(), path).toBe(page);
    }
  });

  it("leaves a missing console file a 404, and shadows no API route", async () => {
    const missing = await workerFetch("http://tuma.test/console/missing.js");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
    const api = await workerFetch("http://tuma.test/api/v1/wallets");
    expect(api.status).toBe(401);
    expect(api.headers.get("Content-Type")).toContain("application/json");
  });
});
