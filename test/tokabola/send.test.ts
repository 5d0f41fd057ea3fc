import { describe, expect, it } from "vitest";
import { post, signupWithToken } from "../helpers";
import { fund, messagesOf, readyNumber, recipient, storeTemplate } from "../messages/helpers";

interface Answer {
  status: string;
  message: string;
  code?: number;
  errors?: { field: string; reason: string }[];
  data?: { message_id: string; id: string; to: string; wa_id: string; phone_number_id: string; status: string; charge: { amount: string; currency: string } | null; replayed: boolean };
}

const send = async (token: string, type: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await post("/tokabola/v1/", { type, [type]: body }, { Authorization: `Bearer ${token}`, ...headers });
  return { status: res.status, body: await res.json<Answer>() };
};
const fieldsOf = (a: Answer) => a.errors?.map((e) => e.field) ?? [];

describe("toKABOLA assistance", () => {
  it("server SANDBOX sends the seed's text example, even before the account has a number", async () => {
    const { token } = await signupWithToken();
    const to = recipient();
    const r = await send(token, "assistance", { method: "text", server: "SANDBOX", to, preview_url: true, body: "Salut le monde" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "success", message: "Message envoyé.", data: { to, wa_id: to, status: "accepted", charge: null, replayed: false } });
    expect(r.body.data!.message_id).toMatch(/^wamid\./);
  });

  it("sends image, video, audio, docs and document from the account's READY number", async () => {
    const account = await signupWithToken();
    const phoneNumberId = await readyNumber(account.id);
    for (const body of [
      { method: "image", image_url: "https://cdn.example.com/logo.png", caption: "Mon image" },
      { method: "video", video_url: "https://cdn.example.com/a.mp4" },
      { method: "audio", audio_url: "https://cdn.example.com/a.ogg" },
      { method: "docs", doc_url: "https://cdn.example.com/document.pdf", caption: "Mon document" },
      { method: "document", doc_url: "https://cdn.example.com/document.pdf", filename: "facture.pdf" },
    ]) {
      const r = await send(account.token, "assistance", { to: recipient(), ...body });
      expect(r.status, body.method).toBe(200);
      expect(r.body.data!.phone_number_id).toBe(phoneNumberId);
    }
    expect((await messagesOf(account.id)).map((m) => m.type)).toEqual(["image", "video", "audio", "document", "document"]);
  });

  it("each invalid field is named with toKABOLA's own name, and nothing is sent", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ method: "text", to: recipient() }, "assistance.body"],
      [{ method: "text", to: "12", body: "x" }, "assistance.to"],
      [{ method: "text", to: recipient(), body: "x".repeat(4097) }, "assistance.body"],
      [{ method: "text", to: recipient(), body: "x", preview_url: "peut-être" }, "assistance.preview_url"],
      [{ method: "sms", to: recipient(), body: "x" }, "assistance.method"],
      [{ method: "text", to: recipient(), body: "x", server: "PROD" }, "assistance.server"],
      [{ method: "image", to: recipient() }, "assistance.image_url"],
      [{ method: "image", to: recipient(), image_url: "http://localhost/a.png" }, "assistance.image_url"],
      [{ method: "image", to: recipient(), image_url: "https://cdn.example.com/a.png", caption: "c".repeat(1025) }, "assistance.caption"],
      [{ method: "audio", to: recipient(), audio_url: "https://cdn.example.com/a.ogg", caption: "non" }, "assistance.caption"],
      [{ method: "docs", to: recipient(), doc_url: "https://cdn.example.com/a.pdf", filename: "../a.pdf" }, "assistance.filename"],
      [{ method: "video", to: recipient(), video_url: "https://cdn.example.com/a.mp4", filename: "a.mp4" }, "assistance.filename"],
      [{ method: "text", to: recipient(), body: "x", phone_number_id: "abc" }, "assistance.phone_number_id"],
    ];
    for (const [body, field] of cases) {
      const r = await send(account.token, "assistance", body);
      expect(r.status, field).toBe(400);
      expect(r.body.code).toBe(1001);
      expect(fieldsOf(r.body), JSON.stringify(body)).toContain(field);
    }
    expect(await messagesOf(account.id)).toEqual([]);
  });

  it("another account's phone_number_id is not found; no token is 1004", async () => {
    const owner = await signupWithToken();
    const other = await signupWithToken();
    const phoneNumberId = await readyNumber(owner.id);
    const r = await send(other.token, "assistance", { method: "text", to: recipient(), body: "x", phone_number_id: phoneNumberId });
    expect(r).toMatchObject({ status: 404, body: { code: 404 } });
    const anonymous = await post("/tokabola/v1/", { type: "assistance", assistance: { method: "text", to: recipient(), body: "x" } });
    expect(anonymous.status).toBe(401);
  });

  it("a text through Meta outside the 24-hour window is refused in French before Meta is called", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id, true);
    const r = await send(account.token, "assistance", { method: "text", to: recipient(), body: "Bonjour" });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain("fenêtre de 24 h");
    expect(await messagesOf(account.id)).toEqual([]);
  });

  it("Idempotency-Key: a retry answers the original message and sends nothing again; another body is a conflict", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const body = { method: "text", to: recipient(), body: "Une fois" };
    const first = await send(account.token, "assistance", body, { "Idempotency-Key": "order-42" });
    const again = await send(account.token, "assistance", body, { "Idempotency-Key": "order-42" });
    expect(again.body.data).toEqual({ ...first.body.data, replayed: true });
    expect(await messagesOf(account.id)).toHaveLength(1);
    const other = await send(account.token, "assistance", { ...body, body: "Autre" }, { "Idempotency-Key": "order-42" });
    expect(other).toMatchObject({ status: 409, body: { code: 409 } });
    const tooLong = await send(account.token, "assistance", body, { "Idempotency-Key": "k".repeat(256) });
    expect(tooLong.status).toBe(400);
    expect(fieldsOf(tooLong.body)).toEqual(["Idempotency-Key"]);
  });
});

describe("toKABOLA auth (OTP)", () => {
  it("sends the code through the authentication template; bad codes and languages are named", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    const ok = await send(account.token, "auth", { method: "otp", to: recipient(), otp_code: "482913", language: "fr" });
    expect(ok.status).toBe(200);
    const [message] = await messagesOf(account.id);
    expect(message).toMatchObject({ type: "template", category: "authentication" });
    for (const [body, field] of [
      [{ method: "otp", to: recipient(), otp_code: "12", language: "fr" }, "auth.otp_code"],
      [{ method: "otp", to: recipient(), otp_code: "123456", language: "français" }, "auth.language"],
      [{ method: "sms", to: recipient(), otp_code: "123456" }, "auth.method"],
    ] as const) {
      const r = await send(account.token, "auth", body);
      expect(fieldsOf(r.body)).toContain(field);
    }
  });
});

describe("toKABOLA marketing and utility", () => {
  const UTILITY = [{ type: "BODY", text: "Commande {{1}} prête, {{2}}." }];

  it("a utility template through Meta is charged at the utility price and reports the charge", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id, true);
    await storeTemplate(account.id, { name: "order_ready", language: "fr", category: "UTILITY", components: UTILITY });
    await fund(account.id, "CDF", 500);
    const r = await send(account.token, "utility", { to: recipient(), name: "order_ready", language: "fr", parameters: ["A-77", "Ana"] });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ charge: { amount: "60", currency: "CDF" }, message_id: expect.stringMatching(/^wamid\.FAKE/) });
  });

  it("several recipients become a campaign (test/campaigns/tokabola.test.ts); one recipient in an array is sent", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    await storeTemplate(account.id, { name: "promo_noel", language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Promo {{1}}" }] });
    const many = await send(account.token, "marketing", { to: [recipient(), recipient()], name: "promo_noel", language: "fr", parameters: ["-20%"] });
    expect(many.status).toBe(202);
    const one = await send(account.token, "marketing", { to: [recipient()], name: "promo_noel", language: "fr", parameters: ["-20%"] });
    expect(one.status).toBe(200);
  });

  it("an unknown template is 404 naming marketing.name; a wrong parameter count names marketing.parameters", async () => {
    const account = await signupWithToken();
    await readyNumber(account.id);
    await storeTemplate(account.id, { name: "promo_noel", language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Promo {{1}}" }] });
    const unknown = await send(account.token, "marketing", { to: recipient(), name: "inconnu", language: "fr" });
    expect(unknown).toMatchObject({ status: 404, body: { code: 404 } });
    expect(fieldsOf(unknown.body)).toEqual(["marketing.name"]);
    const count = await send(account.token, "marketing", { to: recipient(), name: "promo_noel", language: "fr", parameters: [] });
    expect(fieldsOf(count.body)).toEqual(["marketing.parameters"]);
    const badName = await send(account.token, "utility", { to: recipient(), name: "Promo Noel", language: "fr" });
    expect(fieldsOf(badName.body)).toEqual(["utility.name"]);
  });
});
