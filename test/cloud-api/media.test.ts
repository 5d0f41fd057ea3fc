import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { cloudClient, expectGraphError } from "./helpers";

function upload(accessToken: string, phoneNumberId: string, fields: Record<string, string | Blob>): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return exports.default.fetch(`${BASE}/graph/v23.0/${phoneNumberId}/media`, { method: "POST", headers: { Authorization: `Bearer ${accessToken}` }, body: form });
}
const file = (bytes: number, type: string) => new Blob([new Uint8Array(bytes).fill(7)], { type });

describe("Cloud API dialect: POST /{phone-number-id}/media", () => {
  it("uploads within Meta's type and size rules; the file part's type stands in for a missing `type`", async () => {
    const c = await cloudClient();
    const ok = await upload(c.accessToken, c.phoneNumberId, { messaging_product: "whatsapp", file: file(2048, "application/pdf") });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await ok.json()).toEqual({ id: expect.stringMatching(/^\d+$/) });
  });

  it("refuses a type Meta does not take, a file over its type's limit, an empty or missing file, and a body that is not multipart, naming the field", async () => {
    const c = await cloudClient();
    const details = async (res: Response) => (await expectGraphError(res, 400, 100)).error_data.details;
    expect(await details(await upload(c.accessToken, c.phoneNumberId, { messaging_product: "whatsapp", type: "image/gif", file: file(10, "image/gif") }))).toContain("type");
    expect(await details(await upload(c.accessToken, c.phoneNumberId, { messaging_product: "whatsapp", type: "image/jpeg", file: file(5 * 1024 * 1024 + 1, "image/jpeg") }))).toContain("file: must be at most 5242880 bytes");
    expect(await details(await upload(c.accessToken, c.phoneNumberId, { messaging_product: "whatsapp", type: "image/png", file: file(0, "image/png") }))).toContain("file");
    expect(await details(await upload(c.accessToken, c.phoneNumberId, { messaging_product: "whatsapp" }))).toContain("file");
    const json = await exports.default.fetch(`${BASE}/graph/v23.0/${c.phoneNumberId}/media`, { method: "POST", headers: { Authorization: `Bearer ${c.accessToken}`, "Content-Type": "application/json" }, body: "{}" });
    await expectGraphError(json, 400, 100);
  });

  it("refuses a chunked upload (no Content-Length) over the limit as 413 in Meta's envelope, before parsing it", async () => {
    const c = await cloudClient();
    const boundary = "tuma-test-boundary";
    const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent++ < 18) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await exports.default.fetch(`${BASE}/graph/v23.0/${c.phoneNumberId}/media`, {
      method: "POST",
      headers: { Authorization: `Bearer ${c.accessToken}`, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    await expectGraphError(res, 413, 100);
  });

  it("refuses another account's number as an object the token cannot see (100, subcode 33)", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const res = await upload(c.accessToken, other.phoneNumberId, { messaging_product: "whatsapp", type: "image/jpeg", file: file(100, "image/jpeg") });
    expect((await expectGraphError(res, 400, 100)).error_subcode).toBe(33);
  });
});
