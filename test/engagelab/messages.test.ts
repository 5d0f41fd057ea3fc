import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { engagelabClient, errorOf, readyNumber, send, type EngagelabClient } from "./helpers";
import { createTemplate, INVOICE_COMPONENTS, templateName } from "./templates-helpers";

const to = "+243 81 234 5678";
const text = (extra: object = {}) => ({ to, body: { type: "text", text: { body: "Bonjour" } }, ...extra });

const messagesOf = async (client: EngagelabClient) =>
  (
    await env.DB.prepare("SELECT id, phone_number_id, to_input, wa_id, type, client_data, charge_amount FROM messages WHERE account_id = ? ORDER BY created_at")
      .bind(client.accountId)
      .all<{ id: string; phone_number_id: string; to_input: string; wa_id: string; type: string; client_data: string | null; charge_amount: number | null }>()
  ).results;

async function sent(res: Response) {
  const body = await res.json<{ message_id: string; request_id?: string }>();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe("EngageLab send", () => {
  it("sends a text from the account's READY number when from is absent, and from the number from names", async () => {
    const client = await engagelabClient();
    const number = await readyNumber(client);
    const first = await sent(await send(client, text()));
    expect(first).toEqual({ message_id: expect.any(String) });
    const second = await sent(await send(client, text({ from: number.display.replace("+", "00") })));
    expect(second.message_id).not.toBe(first.message_id);
    const rows = await messagesOf(client);
    expect(rows.map((r) => [r.id, r.phone_number_id, r.to_input, r.wa_id, r.type])).toEqual([
      [first.message_id, number.phoneNumberId, to, "243812345678", "text"],
      [second.message_id, number.phoneNumberId, to, "243812345678", "text"],
    ]);
  });

  it("sends every media type of the seed: image, audio, video, document and sticker", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const bodies = [
      { type: "image", image: { link: "https://img.example.com/c866bd2.png", caption: "légende" } },
      { type: "audio", audio: { link: "https://files.example.com/a.mp3" } },
      { type: "video", video: { id: "1234567890", caption: "légende" } },
      { type: "document", document: { link: "https://files.example.com/f.pdf", caption: "facture.pdf" } },
      { type: "sticker", sticker: { link: "https://img.example.com/s.webp" } },
    ];
    for (const body of bodies) await sent(await send(client, { to: [to], body }));
    expect((await messagesOf(client)).map((r) => r.type)).toEqual(["image", "audio", "video", "document", "sticker"]);
  });

  it("sends the seed's own sticker example, an http link, as EngageLab takes http and https media links", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const seedSticker = { to, body: { type: "sticker", sticker: { link: "http://sample-file.bazadanni.com/download/images/webp/sample.webp" } } };
    await sent(await send(client, seedSticker));
    expect((await messagesOf(client)).map((r) => r.type)).toEqual(["sticker"]);
  });

  it("echoes request_id; a retry answers the same message_id and records one message; the same id with another body is sent as a new message", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const request = text({ request_id: "123asdbbqwe9faweg", custom_args: { arg1: "string val", arg2: 123 } });
    const first = await sent(await send(client, request));
    expect(first).toEqual({ message_id: expect.any(String), request_id: "123asdbbqwe9faweg" });
    const again = await sent(await send(client, request));
    expect(again).toEqual(first);
    expect(await messagesOf(client)).toHaveLength(1);
    const other = await sent(await send(client, { ...request, body: { type: "text", text: { body: "Autre" } } }));
    expect(other).toEqual({ message_id: expect.any(String), request_id: "123asdbbqwe9faweg" });
    expect(other.message_id).not.toBe(first.message_id);
    expect(await sent(await send(client, { ...request, body: { type: "text", text: { body: "Autre" } } }))).toEqual(other);
    expect((await messagesOf(client)).map((r) => r.id)).toEqual([first.message_id, other.message_id]);
  });

  it("keeps custom_args with the message, for its callbacks", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const { message_id } = await sent(await send(client, text({ custom_args: { order: "A-12", n: 3, nested: { ok: true } } })));
    const [row] = await messagesOf(client);
    expect(row!.id).toBe(message_id);
    expect(JSON.parse(row!.client_data!)).toEqual({ order: "A-12", n: 3, nested: { ok: true } });
  });

  it("sends nothing to several recipients when one of them is not a phone number", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const error = await errorOf(await send(client, { to: [to, "12"], body: { type: "text", text: { body: "x" } } }));
    expect(error).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("to[1]") });
    expect(await messagesOf(client)).toEqual([]);
  });

  it("answers 4001 for an account without a READY number and for an unknown template, naming the template", async () => {
    const client = await engagelabClient();
    expect(await errorOf(await send(client, text()))).toMatchObject({ status: 400, code: 4001, message: expect.stringMatching(/no READY number/) });
    await readyNumber(client);
    const unknown = await errorOf(await send(client, { to, body: { type: "template", template: { name: "nope_never", language: "fr" } } }));
    expect(unknown).toMatchObject({ status: 400, code: 4001, message: expect.stringContaining("body.template.name") });
    expect(await messagesOf(client)).toEqual([]);
  });

  it("sends a template with every parameter type: header document, body text, currency and date_time, and a URL button", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const name = templateName("invoice");
    await createTemplate(client, { name, language: "fr", category: "UTILITY", components: INVOICE_COMPONENTS });
    const template = {
      name,
      language: "fr",
      components: [
        { type: "header", parameters: [{ type: "document", document: { link: "https://files.example.com/f.pdf", filename: "facture.pdf" } }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "Amina" },
            { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
            { type: "date_time", date_time: { fallback_value: "25 février 1977", day_of_week: 5, day_of_month: 25, year: 1977, month: 2, hour: 15, minute: 33 } },
            { type: "date_time", date_time: { fallback_value: "25 février 1977", timestamp: 1485470276 } },
          ],
        },
        { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "A-12" }] },
      ],
    };
    await sent(await send(client, { to: [to], body: { type: "template", template } }));
    const missing = await errorOf(await send(client, { to, body: { type: "template", template: { ...template, components: template.components.slice(1) } } }));
    expect(missing).toMatchObject({ status: 400, code: 3002, message: expect.stringMatching(/^body\.template\.components: the header .* takes 1 parameter\(s\), got 0/) });
    expect(await messagesOf(client)).toHaveLength(1);
  });

  it("sends image and video header templates", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    for (const format of ["IMAGE", "VIDEO"] as const) {
      const name = templateName(format.toLowerCase());
      await createTemplate(client, { name, language: "en_US", category: "MARKETING", components: [{ type: "HEADER", format }, { type: "BODY", text: "New arrivals" }] });
      const media = format === "IMAGE" ? { type: "image", image: { link: "https://img.example.com/a.png" } } : { type: "video", video: { id: "987654" } };
      await sent(await send(client, { to, body: { type: "template", template: { name, language: "en_US", components: [{ type: "header", parameters: [media] }] } } }));
    }
  });
});
