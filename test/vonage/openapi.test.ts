import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("Vonage routes in the API reference", () => {
  it("every Vonage operation is in /openapi.json with the JWT security scheme", async () => {
    const doc = await (await exports.default.fetch("http://tuma.test/openapi.json")).json<{ paths: Record<string, Record<string, { security: unknown[] }>>; components: { securitySchemes: Record<string, unknown> } }>();
    const base = "/vonage/v0.1/whatsapp-manager/deployments";
    const expected: [string, string][] = [
      ["", "post"], ["", "get"], ["/{deployment_id}", "get"], ["/{deployment_id}", "delete"],
      ["/{deployment_id}/resend-otp", "post"], ["/{deployment_id}/verify", "post"],
      ["/{deployment_id}/profile", "get"], ["/{deployment_id}/profile", "patch"],
      ["/{deployment_id}/profile/photo", "get"], ["/{deployment_id}/profile/photo", "post"],
      ["/{deployment_id}/stickerpacks", "get"], ["/{deployment_id}/stickerpacks", "post"],
      ["/{deployment_id}/stickerpacks/{stickerpack_id}", "get"],
      ["/{deployment_id}/stickerpacks/{stickerpack_id}/stickers", "get"], ["/{deployment_id}/stickerpacks/{stickerpack_id}/stickers", "post"],
      ["/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", "get"],
      ["/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", "delete"],
    ];
    for (const [path, method] of expected) expect(doc.paths[`${base}${path}`]?.[method]?.security).toEqual([{ vonage_jwt: [] }]);
    expect(doc.components.securitySchemes).toHaveProperty("vonage_jwt");
  });
});
