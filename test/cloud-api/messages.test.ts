import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { cloudClient, createTemplate, customer, expectGraphError, graph } from "./helpers";

const WAMID = /^wamid\./;

describe("Cloud API dialect: POST /graph/{version}/{phone-number-id}/messages", () => {
  it("sends every message type Meta's OpenAPI has, answering Meta's success body", async () => {
    const c = await cloudClient();
    const to = customer();
    const bodies: Record<string, unknown>[] = [
      { type: "text", text: { body: "Bonjour", preview_url: false } },
      { type: "image", image: { link: "https://images.fake.test/photo.jpg", caption: "Reçu" } },
      { type: "image", image: { id: "1234567890" } },
      { type: "video", video: { link: "https://images.fake.test/v.mp4" } },
      { type: "audio", audio: { id: "998877" } },
      { type: "document", document: { link: "https://images.fake.test/f.pdf", filename: "facture.pdf" } },
      { type: "sticker", sticker: { id: "445566" } },
      { type: "location", location: { latitude: -4.32, longitude: 15.31, name: "Kinshasa" } },
      { type: "contacts", contacts: [{ name: { formatted_name: "Awa K.", first_name: "Awa" }, phones: [{ phone: "+243970000001" }] }] },
      { type: "interactive", interactive: { type: "button", body: { text: "Oui ?" }, action: { buttons: [{ type: "reply", reply: { id: "y", title: "Oui" } }] } } },
      { type: "reaction", reaction: { message_id: "wamid.ABC", emoji: "👍" } },
      { type: "text", text: { body: "En réponse" }, context: { message_id: "wamid.ABC" } },
    ];
    for (const body of bodies) {
      const res = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", recipient_type: "individual", to: `+${to}`, ...body });
      expect(res.status, `${body.type}: ${await res.clone().text()}`).toBe(200);
      const sent = await res.json<{ messaging_product: string; contacts: { input: string; wa_id: string }[]; messages: { id: string }[] }>();
      expect(sent).toEqual({ messaging_product: "whatsapp", contacts: [{ input: `+${to}`, wa_id: to }], messages: [{ id: expect.stringMatching(WAMID) }] });
    }
  });

  it("sends a template with body parameters; an unknown template is Meta's 132001 (404)", async () => {
    const c = await cloudClient();
    const name = await createTemplate(c);
    const template = { name, language: { code: "fr" }, components: [{ type: "body", parameters: [{ type: "text", text: "Awa" }, { type: "text", text: "4821" }] }] };
    const ok = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "template", template });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const missing = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "template", template: { ...template, name: "nope_nope" } });
    await expectGraphError(missing, 404, 132001);
  });

  it("marks a message read, with the typing indicator, answering {success: true}", async () => {
    const c = await cloudClient();
    for (const extra of [{}, { typing_indicator: { type: "text" } }]) {
      const res = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", status: "read", message_id: "wamid.FROMCUSTOMER", ...extra });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toEqual({ success: true });
    }
  });

  it("refuses another account's number as Meta refuses an object the token cannot see (100, subcode 33), for sends and read receipts", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const send = await graph("POST", `/${other.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "text", text: { body: "x" } });
    expect((await expectGraphError(send, 400, 100)).error_subcode).toBe(33);
    const read = await graph("POST", `/${other.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", status: "read", message_id: "wamid.X" });
    expect((await expectGraphError(read, 400, 100)).error_subcode).toBe(33);
  });

  it("a missing, unknown or revoked access token is 190 (401); a bad version is 100", async () => {
    const c = await cloudClient();
    const body = { messaging_product: "whatsapp", to: customer(), type: "text", text: { body: "x" } };
    await expectGraphError(await graph("POST", `/${c.phoneNumberId}/messages`, null, body), 401, 190);
    await expectGraphError(await graph("POST", `/${c.phoneNumberId}/messages`, "EAATnotatoken", body), 401, 190);
    const revoked = await fetchNative(c.nativeToken, "DELETE", `/api/v1/cloud-api/tokens/${c.tokenId}`);
    expect(revoked.status).toBe(204);
    await expectGraphError(await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, body), 401, 190);
    const badVersion = await fetchNative(null, "POST", `/graph/latest/${c.phoneNumberId}/messages`);
    await expectGraphError(badVersion, 400, 100);
  });

  it("invalid bodies are 100 naming the field in error_data.details; not JSON is 100 too", async () => {
    const c = await cloudClient();
    const noBody = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: customer(), type: "text", text: {} });
    expect((await expectGraphError(noBody, 400, 100)).error_data.details).toContain("text.body");
    const badTo = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { messaging_product: "whatsapp", to: "abc", type: "text", text: { body: "x" } });
    expect((await expectGraphError(badTo, 400, 100)).error_data.details).toContain("to");
    const noProduct = await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, { to: customer(), type: "text", text: { body: "x" } });
    expect((await expectGraphError(noProduct, 400, 100)).error_data.details).toContain("messaging_product");
    await expectGraphError(await graph("POST", `/${c.phoneNumberId}/messages`, c.accessToken, "{nope"), 400, 100);
  });
});

function fetchNative(token: string | null, method: string, path: string): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}
