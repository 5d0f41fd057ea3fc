import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uploadMedia } from "../../src/core/messages/media-upload";
import { sendMessage } from "../../src/core/messages/send";
import { BASE } from "../helpers";
import { fund, input, metaCtx, newAccount, openWindow, readyNumber, recipient } from "../messages/helpers";
import { cloudClient, customer, expectGraphError, graph } from "./helpers";

const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) % 251);

async function upload(accessToken: string, phoneNumberId: string, content: Uint8Array, type = "image/jpeg"): Promise<string> {
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", type);
  form.set("file", new Blob([content], { type }), "recu.jpg");
  const res = await exports.default.fetch(`${BASE}/graph/v23.0/${phoneNumberId}/media`, { method: "POST", headers: { Authorization: `Bearer ${accessToken}` }, body: form });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ id: string }>()).id;
}

const hex = async (data: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", data))].map((b) => b.toString(16).padStart(2, "0")).join("");
const download = (url: string, accessToken: string) => exports.default.fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
const sendImage = (c: { accessToken: string; phoneNumberId: string }, id: string) =>
  graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "image", image: { id, caption: "Reçu" } });

describe("Cloud API dialect: uploaded media, kept in R2", () => {
  it("GET /{media-id} answers Meta's shape; its url, fetched with the token, streams the bytes back; DELETE removes it", async () => {
    const c = await cloudClient();
    const content = bytes(3000);
    const id = await upload(c.accessToken, c.phoneNumberId, content);
    const described = await graph("GET", `/${id}`, c.accessToken);
    expect(described.status).toBe(200);
    const media = await described.json<{ url: string }>();
    expect(media).toEqual({ messaging_product: "whatsapp", id, url: `${BASE}/graph/v23.0/${id}/download`, mime_type: "image/jpeg", sha256: await hex(content), file_size: 3000 });
    expect((await graph("GET", `/${id}?phone_number_id=${c.phoneNumberId}`, c.accessToken)).status).toBe(200);

    const file = await download(media.url, c.accessToken);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toBe("image/jpeg");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(content);
    expect((await sendImage(c, id)).status).toBe(200);

    const deleted = await graph("DELETE", `/${id}`, c.accessToken);
    expect(await deleted.json()).toEqual({ success: true });
    expect((await expectGraphError(await graph("GET", `/${id}`, c.accessToken), 400, 100)).error_subcode).toBe(33);
    await expectGraphError(await download(media.url, c.accessToken), 400, 100);
    await expectGraphError(await graph("DELETE", `/${id}`, c.accessToken), 400, 100);
    await expectGraphError(await sendImage(c, id), 400, 100);
  });

  it("a multipart upload without the file part, nor messaging_product \"whatsapp\", is Meta's 100 naming both fields; a file part's own type is used when `type` is absent", async () => {
    const c = await cloudClient();
    const empty = new FormData();
    empty.set("messaging_product", "sms");
    const refused = await exports.default.fetch(`${BASE}/graph/v23.0/${c.phoneNumberId}/media`, { method: "POST", headers: { Authorization: `Bearer ${c.accessToken}` }, body: empty });
    const error = await expectGraphError(refused, 400, 100);
    expect(error.error_data.details).toContain("messaging_product");
    expect(error.error_data.details).toContain("file");

    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("file", new Blob([bytes(50)], { type: "image/png" }), "logo.png");
    const res = await exports.default.fetch(`${BASE}/graph/v23.0/${c.phoneNumberId}/media`, { method: "POST", headers: { Authorization: `Bearer ${c.accessToken}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(200);
    const { id } = await res.json<{ id: string }>();
    expect(await (await graph("GET", `/${id}`, c.accessToken)).json()).toMatchObject({ mime_type: "image/png" });
  });

  it("another account's token gets Meta's 100/33 for the id: GET, download, DELETE and a send; so does another number in ?phone_number_id=", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const id = await upload(c.accessToken, c.phoneNumberId, bytes(100));
    for (const res of [
      await graph("GET", `/${id}`, other.accessToken),
      await download(`${BASE}/graph/v23.0/${id}/download`, other.accessToken),
      await graph("DELETE", `/${id}`, other.accessToken),
      await sendImage(other, id),
      await graph("GET", `/${id}?phone_number_id=${other.phoneNumberId}`, c.accessToken),
      await graph("DELETE", `/${id}?phone_number_id=${other.phoneNumberId}`, c.accessToken),
    ]) {
      expect((await expectGraphError(res, 400, 100)).error_subcode).toBe(33);
    }
    expect((await graph("GET", `/${id}`, c.accessToken)).status).toBe(200);
  });

  it("a send from a number on Meta uploads the file to Meta under that number once, and names Meta's id", async () => {
    const accountId = await newAccount();
    const phoneNumberId = await readyNumber(accountId, true);
    await fund(accountId, "CDF", 1000);
    const content = bytes(2048);
    const uploaded = await uploadMedia(metaCtx(), accountId, phoneNumberId, { bytes: content, type: "image/png", filename: "plan.png" });
    if (!uploaded.ok) throw uploaded.error;
    const sentIds: string[] = [];
    for (const to of [recipient(), recipient()]) {
      await openWindow(phoneNumberId, to);
      const sent = await sendMessage(metaCtx(), input(accountId, { messaging_product: "whatsapp", recipient_type: "individual", to, type: "image", image: { id: uploaded.value.id } } as never));
      expect(sent.ok, JSON.stringify(sent)).toBe(true);
      sentIds.push((await (await fetch(`https://graph.facebook.com/v23.0/fake/sent-media/${to}`)).json<{ id: string }>()).id);
    }
    expect(sentIds[0]).not.toBe(uploaded.value.id);
    expect(sentIds[1]).toBe(sentIds[0]);
    const atMeta = await (await fetch(`https://graph.facebook.com/v23.0/fake/media/${sentIds[0]}`)).json();
    expect(atMeta).toEqual({ phoneNumberId, type: "image/png", size: 2048, filename: "plan.png" });
  });
});
