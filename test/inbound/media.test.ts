import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signup, tokenFor } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, metaPayload, uniqueWamid } from "./harness";

async function receiveImage(h: Harness, phoneNumberId: string, mediaId: string) {
  const from = recipient();
  await h.intake(
    metaPayload(phoneNumberId, {
      contacts: [{ profile: { name: "Client" }, wa_id: from }],
      messages: [{ from, id: uniqueWamid(), timestamp: "1767261712", type: "image", image: { mime_type: "image/jpeg", sha256: "abc", id: mediaId } }],
    }),
  );
  await h.runInbound();
}

const media = (id: string, token: string) => exports.default.fetch(`${BASE}/api/v1/media/${id}`, { headers: { Authorization: `Bearer ${token}` } });

describe("GET /api/v1/media/{id}", () => {
  it("streams a customer's media from Meta with the operator's token, to the receiving account only", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id, true);
    const h = new Harness();
    const mediaId = `14512${Date.now()}`;
    await receiveImage(h, phoneNumberId, mediaId);
    const res = await media(mediaId, await tokenFor(account));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/jpeg");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(`JPEG bytes of ${mediaId}`);
    expect((await media(mediaId, await tokenFor(await signup()))).status).toBe(404);
    expect((await media("999999999999", await tokenFor(account))).status).toBe(404);
  });

  it("answers not found once Meta has dropped the media, and a small generated file for sandbox numbers", async () => {
    const account = await signup();
    const token = await tokenFor(account);
    const h = new Harness();
    const expired = `14513${Date.now()}404`;
    await receiveImage(h, await readyNumber(account.id, true), expired);
    expect((await media(expired, token)).status).toBe(404);

    const other = await signup();
    const sandboxId = `14514${Date.now()}`;
    await receiveImage(h, await readyNumber(other.id), sandboxId);
    const res = await media(sandboxId, await tokenFor(other));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/jpeg");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain(sandboxId);
  });
});
