import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import { productionEnv } from "../fixtures/production";
import { BASE, post, signupWithToken, uniqueName } from "../helpers";
import { expectLamError, readyNumber } from "../lam/helpers";

/** The worker in production mode (ENVIRONMENT=production, complete configuration). */
function production(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`${BASE}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  return handleFetch(request, productionEnv(), createExecutionContext());
}

/** One of each kind the policy refuses in production; test/lib/url-policy.test.ts covers every form. */
const REFUSED = [
  ["https://169.254.169.254/latest/meta-data/", "must point to a public host"],
  ["https://10.0.0.1/hook", "must point to a public host"],
  ["https://127.0.0.1/hook", "must point to a public host"],
  ["https://[::1]/hook", "must point to a public host"],
  ["https://[fd00::1]/hook", "must point to a public host"],
  ["https://[::ffff:127.0.0.1]/hook", "must point to a public host"],
  ["https://0x7f000001/hook", "must point to a public host"],
  ["https://metadata.google.internal/computeMetadata/v1/", "must point to a public host"],
  ["https://localhost/hook", "must point to a public host"],
  ["http://localhost:9000/hook", "must point to a public host"],
  ["http://hooks.example.com/hook", "must be an https URL"],
  ["https://user:pass@hooks.example.com/hook", "must not contain credentials"],
] as const;

describe("client URLs in production", () => {
  it("native POST /api/v1/webhooks refuses internal addresses with a field error, and takes a public https URL", async () => {
    const account = await signupWithToken();
    const auth = { Authorization: `Bearer ${account.token}` };
    for (const [url, reason] of REFUSED) {
      const res = await production("/api/v1/webhooks", { url }, auth);
      expect([url, res.status]).toEqual([url, 400]);
      const body = await res.json<{ error: { code: string; issues: { field: string; reason: string }[] } }>();
      expect(body.error).toMatchObject({ code: "invalid_request", issues: [{ field: "url", reason }] });
    }
    expect((await production("/api/v1/webhooks", { url: "https://hooks.example.com/prod" }, auth)).status).toBe(201);
  });

  it("LAfricaMobile /configs/webhook refuses them in the On-Premise error shape", async () => {
    const n = await readyNumber();
    for (const [url] of REFUSED) {
      const body = await expectLamError(await production("/lam/configs/webhook", { url }, { "LAM-API-KEY": n.apiKey }), 400);
      expect(body.errors[0]!.details).toContain("url");
    }
    expect((await production("/lam/configs/webhook", { url: "https://hooks.example.com/lam" }, { "LAM-API-KEY": n.apiKey })).status).toBe(200);
  });

  it("toKABOLA signup refuses an internal webhook or logo, naming the field", async () => {
    for (const field of ["webhook", "logourl"]) {
      const res = await production("/tokabola/v1/", { type: "signup", signup: { name: uniqueName(), [field]: "https://169.254.169.254/logo.png" } });
      expect(res.status).toBe(400);
      const body = await res.json<{ errors: { field: string }[] }>();
      expect(body.errors[0]!.field).toBe(`signup.${field}`);
    }
  });

  it("toKABOLA update number refuses an internal logo, and something that is no URL, with a field error", async () => {
    const n = await readyNumber();
    for (const logo of ["https://[fd00::1]/logo.png", "https://2130706433/logo.png", "not a url"]) {
      const res = await production("/tokabola/v1/", { type: "update", update: { account: "number" }, number: { phone_number_id: n.phoneNumberId, logo } }, { Authorization: `Bearer ${n.token}` });
      expect([logo, res.status]).toEqual([logo, 400]);
      expect((await res.json<{ errors: { field: string }[] }>()).errors[0]!.field).toBe("number.logo");
    }
  });

  it("the sandbox routes answer 404 (development takes the same simulated customer)", async () => {
    const n = await readyNumber();
    const simulated = { phone_number_id: n.phoneNumberId, from: "243812345678", text: "Bonjour" };
    const auth = { Authorization: `Bearer ${n.token}` };
    const res = await production("/sandbox/inbound", simulated, auth);
    expect(res.status).toBe(404);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("not_found");
    expect((await post("/sandbox/inbound", simulated, auth)).status).toBe(202);
  });
});
