import { describe, expect, it } from "vitest";
import { CanonicalMessageSchema, isFreeForm } from "../../../src/core/messages/canonical";
import { normalizeRecipient } from "../../../src/core/messages/recipient";
import { parseWith } from "../../../src/lib/validation";

const base = { messaging_product: "whatsapp", recipient_type: "individual", to: "243812345678" } as const;
const parse = (message: object) => parseWith(CanonicalMessageSchema, { ...base, ...message });
const fieldsOf = (result: ReturnType<typeof parse>) => (result.ok ? [] : result.error.details.issues!.map((i) => i.field));

describe("canonical message", () => {
  it("accepts a text of 4096 characters and refuses 4097, naming text.body", () => {
    expect(parse({ type: "text", text: { body: "a".repeat(4096) } }).ok).toBe(true);
    expect(fieldsOf(parse({ type: "text", text: { body: "a".repeat(4097) } }))).toEqual(["text.body"]);
  });

  it("refuses an empty text", () => {
    expect(fieldsOf(parse({ type: "text", text: { body: "" } }))).toEqual(["text.body"]);
  });

  it("limits captions to 1024 characters", () => {
    const image = (caption: string) => parse({ type: "image", image: { link: "https://x.example/a.png", caption } });
    expect(image("c".repeat(1024)).ok).toBe(true);
    expect(fieldsOf(image("c".repeat(1025)))).toEqual(["image.caption"]);
  });

  it("wants exactly one of media id and http(s) link to a public host", () => {
    expect(parse({ type: "video", video: { id: "123456" } }).ok).toBe(true);
    expect(fieldsOf(parse({ type: "video", video: {} }))).toEqual(["video"]);
    expect(fieldsOf(parse({ type: "video", video: { id: "1", link: "https://x.example/v.mp4" } }))).toEqual(["video"]);
    expect(parse({ type: "audio", audio: { link: "http://x.example/a.mp3" } }).ok).toBe(true);
    expect(fieldsOf(parse({ type: "audio", audio: { link: "http://127.0.0.1/a.mp3" } }))).toEqual(["audio.link"]);
    expect(fieldsOf(parse({ type: "audio", audio: { link: "file:///etc/passwd" } }))).toEqual(["audio.link"]);
  });

  it("refuses a caption on audio and sticker, as Meta does", () => {
    expect(fieldsOf(parse({ type: "audio", audio: { id: "1", caption: "no" } }))).toEqual(["audio"]);
    expect(parse({ type: "sticker", sticker: { id: "1", caption: "no" } }).ok).toBe(false);
  });

  it("refuses a document filename with a path in it", () => {
    expect(fieldsOf(parse({ type: "document", document: { id: "1", filename: "../etc/passwd" } }))).toEqual(["document.filename"]);
  });

  it("requires template names of lowercase letters, digits and underscores and a language code", () => {
    const template = (name: string, code: string) => parse({ type: "template", template: { name, language: { code } } });
    expect(template("order_update_2", "fr_FR").ok).toBe(true);
    expect(fieldsOf(template("Order-Update", "fr"))).toEqual(["template.name"]);
    expect(fieldsOf(template("order", "french"))).toEqual(["template.language.code"]);
  });

  it("accepts the seed's EngageLab template parameters (text, currency, date_time, document header)", () => {
    const result = parse({
      type: "template",
      template: {
        name: "code",
        language: { code: "zh_CN" },
        components: [
          { type: "header", parameters: [{ type: "document", document: { link: "https://x.example/f.pdf", filename: "f.pdf" } }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "12345" },
              { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
              { type: "date_time", date_time: { fallback_value: "25 février 1977", day_of_week: 5, year: 1977 } },
            ],
          },
        ],
      },
    });
    expect(result.ok).toBe(true);
  });

  it("refuses an unknown message type and unknown fields", () => {
    expect(fieldsOf(parse({ type: "fax" }))).toEqual(["type"]);
    expect(parse({ type: "text", text: { body: "hi", bold: true } }).ok).toBe(false);
  });

  it("counts only templates as allowed outside the 24-hour window", () => {
    const text = parse({ type: "text", text: { body: "hi" } });
    const template = parse({ type: "template", template: { name: "hello", language: { code: "fr" } } });
    expect(text.ok && isFreeForm(text.value)).toBe(true);
    expect(template.ok && isFreeForm(template.value)).toBe(false);
  });
});

describe("recipient normalization", () => {
  it.each([
    ["243812345678", "243812345678"],
    ["+243 81 234 5678", "243812345678"],
    ["00243812345678", "243812345678"],
    ["+44 (7911) 123-456", "447911123456"],
    ["00447911123456", "447911123456"],
  ])("turns %s into %s", (raw, expected) => {
    expect(normalizeRecipient(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(["0812345678", "abc", "+1", "243 81 23", "+999123456789"])("refuses %s, naming the field", (raw) => {
    const result = normalizeRecipient(raw, "assistance.to");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.details.issues![0]!.field).toBe("assistance.to");
  });
});
