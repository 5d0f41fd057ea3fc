import { env, exports } from "cloudflare:workers";
import { exportSPKI, importPKCS8, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { BASE, post, uniqueName } from "../helpers";
import { basic, createTemplateWith } from "./messages-fixtures";
import { vonageMessagesClient, type VonageMessagesClient } from "./messages-helpers";
import { newKeyPair } from "./helpers";

const send = (auth: string | null, body: unknown) =>
  exports.default.fetch(`${BASE}/vonage/v1/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

interface VonageProblem {
  type: string;
  title: string;
  detail: string;
  instance: string;
  invalid_parameters?: { name: string; reason: string }[];
}

async function problem(res: Response, status: number, fragment: string): Promise<VonageProblem> {
  expect(res.status).toBe(status);
  const body = await res.json<VonageProblem>();
  expect(body.type.endsWith(`#${fragment}`), body.type).toBe(true);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.instance).toMatch(/^[0-9a-f]{32}$/);
  return body;
}

const auth = (c: VonageMessagesClient) => basic(c.apiKey, c.apiSecret);
const base = (c: VonageMessagesClient) => ({ channel: "whatsapp", from: c.from, to: "243970001122" });
const lastMessage = (accountId: string) =>
  env.DB.prepare("SELECT id, type, client_data FROM messages WHERE account_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").bind(accountId).first<{ id: string; type: string; client_data: string | null }>();

describe("Vonage Messages API: requests and errors", () => {
  it("answers 401 in Vonage's shape without credentials, with a wrong secret, or a JWT of no application", async () => {
    const c = await vonageMessagesClient();
    await problem(await send(null, { ...base(c), message_type: "text", text: "x" }), 401, "unauthorized");
    await problem(await send(basic(c.apiKey, "wrong"), { ...base(c), message_type: "text", text: "x" }), 401, "unauthorized");
    await problem(await send("Bearer not.a.jwt", { ...base(c), message_type: "text", text: "x" }), 401, "unauthorized");
  });

  it("names each bad field as the client wrote it (image.url, text, whatsapp.locale, channel, webhook_url), 422 #1150", async () => {
    const c = await vonageMessagesClient();
    const names = async (body: unknown) => (await problem(await send(auth(c), body), 422, "1150")).invalid_parameters!.map((p) => p.name);
    expect(await names({ ...base(c), message_type: "image", image: { url: "ftp://example.com/a.jpg" } })).toEqual(["image.url"]);
    expect(await names({ ...base(c), message_type: "text" })).toEqual(["text"]);
    expect(await names({ ...base(c), message_type: "template", template: { name: "promo" } })).toEqual(["whatsapp.locale"]);
    expect(await names({ ...base(c), channel: "sms", message_type: "text", text: "x" })).toEqual(["channel"]);
    expect(await names({ ...base(c), message_type: "text", text: "x", webhook_url: "https://hooks.example.com/x" })).toEqual(["webhook_url"]);
    expect(await names({ ...base(c), message_type: "custom", custom: { type: "location", location: { latitude: 200, longitude: 0 } } })).toEqual(["custom.location.latitude"]);
  });

  it("answers invalid JSON 422 #invalid-json, an unknown template 422 #1022, a number of another account 422 #1120", async () => {
    const c = await vonageMessagesClient();
    const other = await vonageMessagesClient();
    await problem(await send(auth(c), "{not json"), 422, "invalid-json");
    await problem(await send(auth(c), { ...base(c), message_type: "template", template: { name: "nope_never_made", parameters: ["a"] }, whatsapp: { locale: "fr" } }), 422, "1022");
    const sender = await problem(await send(auth(c), { ...base(c), from: other.from, message_type: "text", text: "x" }), 422, "1120");
    expect(sender.invalid_parameters?.[0]?.name).toBe("from");
    expect(await lastMessage(c.accountId)).toBeNull();
  });

  it("sends file, sticker, audio, video and custom messages as Meta's document, sticker, audio, video and interactive; client_ref is kept", async () => {
    const c = await vonageMessagesClient();
    const cases = [
      [{ message_type: "file", file: { url: "https://files.example.com/facture.pdf", name: "facture.pdf", caption: "Votre facture" } }, "document"],
      [{ message_type: "sticker", sticker: { id: "4567" } }, "sticker"],
      [{ message_type: "audio", audio: { url: "https://files.example.com/note.mp3" } }, "audio"],
      [{ message_type: "video", video: { url: "http://files.example.com/clip.mp4" } }, "video"],
      [{ message_type: "custom", custom: { type: "interactive", interactive: { type: "button", body: { text: "Confirmer ?" }, action: { buttons: [{ type: "reply", reply: { id: "y", title: "Oui" } }] } } } }, "interactive"],
    ] as const;
    for (const [body, type] of cases) {
      const res = await send(auth(c), { ...base(c), ...body, client_ref: "ref-1" });
      expect(res.status, await res.clone().text()).toBe(202);
      const { message_uuid } = await res.json<{ message_uuid: string }>();
      const row = await lastMessage(c.accountId);
      expect(row).toMatchObject({ id: `msg_${message_uuid.replace(/-/g, "")}`, type });
      expect(JSON.parse(row!.client_data!)).toEqual({ client_ref: "ref-1" });
    }
  });

  it("takes a template's namespace:name and BCP 47 locale (en-GB) as Vonage does", async () => {
    const c = await vonageMessagesClient();
    const name = await createTemplateWith(auth(c), "Hello {{1}}, your code is {{2}}.", "en_GB");
    const res = await send(auth(c), { ...base(c), message_type: "template", template: { name: `ns_1234:${name}`, parameters: ["Awa", "4821"] }, whatsapp: { policy: "deterministic", locale: "en-GB" } });
    expect(res.status, await res.clone().text()).toBe(202);
    const wrongCount = await send(auth(c), { ...base(c), message_type: "template", template: { name, parameters: ["Awa"] }, whatsapp: { locale: "en-GB" } });
    expect((await problem(wrongCount, 422, "1150")).invalid_parameters?.[0]?.name).toBe("template.parameters");
  });
});

describe("POST /api/v1/vonage/signup and the application routes", () => {
  it("is the one step before Vonage's JWTs work, WhatsApp Manager included: no toKABOLA account or token involved", async () => {
    const c = await vonageMessagesClient();
    const key = await importPKCS8(c.privateKey, "RS256");
    const iat = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ application_id: c.applicationId, iat, jti: crypto.randomUUID(), exp: iat + 900 }).setProtectedHeader({ typ: "JWT", alg: "RS256" }).sign(key);
    const res = await exports.default.fetch(`${BASE}/vonage/v0.1/whatsapp-manager/deployments`, { headers: { Authorization: `Bearer ${jwt}` } });
    expect(res.status).toBe(200);
    const view = await exports.default.fetch(`${BASE}/api/v1/vonage/application`, { headers: { Authorization: `Bearer ${jwt}` } });
    expect(await view.json()).toMatchObject({ id: c.applicationId, api_key: c.apiKey });
  });

  it("takes the client's own public key (no private key returned); a bad key creates no account", async () => {
    const { publicKey } = await newKeyPair();
    const name = uniqueName("Vonage");
    const bad = await post("/api/v1/vonage/signup", { name, public_key: `-----BEGIN PUBLIC KEY-----\n${"A".repeat(120)}\n-----END PUBLIC KEY-----` });
    expect(bad.status).toBe(400);
    expect(await env.DB.prepare("SELECT id FROM accounts WHERE name = ?").bind(name).first()).toBeNull();
    const res = await post("/api/v1/vonage/signup", { name, public_key: await exportSPKI(publicKey) });
    expect(res.status).toBe(201);
    const made = await res.json<{ application: { keys: { private_key?: string } }; api_secret: string }>();
    expect(made.application.keys.private_key).toBeUndefined();
    expect(JSON.stringify(await env.DB.prepare("SELECT * FROM dev_keys WHERE account_id = (SELECT id FROM accounts WHERE name = ?)").bind(name).all())).not.toContain(made.api_secret);
  });

  it("the Vonage credentials read the application and move its webhooks; null removes one", async () => {
    const c = await vonageMessagesClient();
    const view = await exports.default.fetch(`${BASE}/api/v1/vonage/application`, { headers: { Authorization: auth(c) } });
    expect(await view.json()).toMatchObject({ id: c.applicationId, api_key: c.apiKey, signature_secret: c.signatureSecret, webhooks: { status_url: `https://hooks.sink.test/${c.statusKey}/ok` } });
    const moved = await exports.default.fetch(`${BASE}/api/v1/vonage/application/webhooks`, {
      method: "PUT",
      headers: { Authorization: auth(c), "Content-Type": "application/json" },
      body: JSON.stringify({ status_url: "https://hooks.example.com/status", inbound_url: null }),
    });
    expect(await moved.json()).toEqual({ status_url: "https://hooks.example.com/status", inbound_url: null, signature_secret: c.signatureSecret });
  });
});
