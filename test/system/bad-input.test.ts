import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signupWithToken, tokabola } from "../helpers";
import { seedReadyNumber } from "../fixtures/numbers";
import { engagelab, engagelabClient } from "../engagelab/helpers";
import { expectVonageError, vonageClient } from "../vonage/helpers";

/** Inputs that once reached a 500: each now answers its dialect's bad-request error. */
describe("bad input answers the dialect's bad request, never a 500", () => {
  it("Vonage POST …/profile/photo with an image_url that is not a URL → 422 unprocessable", async () => {
    const client = await vonageClient();
    const { deploymentId } = await seedReadyNumber(client.accountId);
    const res = await client.call("POST", `/deployments/${deploymentId}/profile/photo`, { image_url: "x" });
    const error = await expectVonageError(res, 422, "unprocessable");
    expect(error.invalid_parameters?.[0]?.name).toBe("image_url");
  });

  it("toKABOLA update number with a logo that is not a URL → 1001", async () => {
    const account = await signupWithToken();
    const { phoneNumberId } = await seedReadyNumber(account.id);
    const res = await tokabola({ type: "update", update: { account: "number" }, number: { phone_number_id: phoneNumberId, logo: "not a url" } }, account.token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: "error", code: 1001 });
  });

  it("EngageLab DELETE /templates/{name} with malformed percent-encoding → 400", async () => {
    const client = await engagelabClient();
    for (const name of ["%", "%E0%A4%A"]) {
      const res = await engagelab("DELETE", `/templates/${name}`, client.auth);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
    }
  });

  it("malformed percent-encoding in any path answers that dialect's bad request", async () => {
    const native = await exports.default.fetch(`${BASE}/api/v1/numbers/%E0%A4%A/api-key`, { method: "POST" });
    expect(native.status).toBe(400);
    const lam = await exports.default.fetch(`${BASE}/lam/v1/configs/templates/%`, { method: "GET" });
    expect(lam.status).toBe(400);
  });
});
