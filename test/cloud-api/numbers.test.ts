import { describe, expect, it } from "vitest";
import { cloudClient, expectGraphError, graph } from "./helpers";

describe("Cloud API dialect: the account's numbers", () => {
  it("GET /{phone-number-id} describes the account's number as Meta does; another account's is 100/33", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const res = await graph("GET", `/${c.phoneNumberId}`, c.accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: c.phoneNumberId, display_phone_number: expect.stringMatching(/^\+243 /), code_verification_status: "VERIFIED", platform_type: "CLOUD_API", status: "CONNECTED" });
    expect((await expectGraphError(await graph("GET", `/${other.phoneNumberId}`, c.accessToken), 400, 100)).error_subcode).toBe(33);
  });

  it("the business profile is read and changed in Meta's shape; invalid fields are 100", async () => {
    const c = await cloudClient();
    const path = `/${c.phoneNumberId}/whatsapp_business_profile`;
    const changed = await graph("POST", path, c.accessToken, { messaging_product: "whatsapp", about: "Ouvert 8h-18h", vertical: "RETAIL", websites: ["https://boutique.example.com"] });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect(await changed.json()).toEqual({ success: true });
    const read = await graph("GET", path, c.accessToken);
    expect(await read.json()).toMatchObject({ data: [{ messaging_product: "whatsapp", about: "Ouvert 8h-18h", vertical: "RETAIL" }] });
    const bad = await graph("POST", path, c.accessToken, { messaging_product: "whatsapp", email: "not-an-email" });
    expect((await expectGraphError(bad, 400, 100)).error_data.details).toContain("email");
  });
});
