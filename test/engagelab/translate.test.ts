import { describe, expect, it } from "vitest";
import { CanonicalMessageSchema } from "../../src/core/messages/canonical";
import { normalizeRecipient } from "../../src/core/messages/recipient";
import { basicCredentials } from "../../src/dialects/basic-auth";
import { EngagelabMessageRequest } from "../../src/dialects/engagelab/message-wire";
import { engagelabFieldName, toSendInput } from "../../src/dialects/engagelab/translate";
import { parseWith } from "../../src/lib/validation";

const parse = (body: unknown) => parseWith(EngagelabMessageRequest, body);
const fieldsOf = (result: ReturnType<typeof parse>) => (result.ok ? [] : result.error.details.issues!.map((i) => i.field));
const reasonsOf = (result: ReturnType<typeof parse>) => (result.ok ? [] : result.error.details.issues!.map((i) => i.reason));

/** The translated message, with `to` normalized as the pipeline does, must be a valid canonical message. */
function canonical(body: object) {
  const parsed = parse(body);
  if (!parsed.ok) throw parsed.error;
  const input = toSendInput("acc_1", "pnid_1", parsed.value);
  const to = normalizeRecipient(input.message.to);
  if (!to.ok) throw to.error;
  const checked = CanonicalMessageSchema.safeParse({ ...input.message, to: to.value });
  expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
  return input;
}

/** The seed's template example, verbatim (header document, body text/currency/date_time). */
const SEED_TEMPLATE = {
  from: "+8613800138000",
  to: ["00447911123456"],
  body: {
    type: "template",
    template: {
      name: "your_template_name",
      language: "zh_CN",
      components: [
        { type: "header", parameters: [{ type: "document", document: { link: "https://files.example.com/a.pdf", filename: "your-document-filename" } }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "your-text-string" },
            { type: "currency", currency: { fallback_value: "$100.99", code: "USD", amount_1000: 100990 } },
            {
              type: "date_time",
              date_time: { fallback_value: "25 février 1977", day_of_week: 5, day_of_month: 25, year: 1977, month: 2, hour: 15, minute: 33 },
            },
            { type: "date_time", date_time: { fallback_value: "25 février 1977", timestamp: 1485470276 } },
          ],
        },
      ],
    },
  },
  request_id: "123asdbbqwe9faweg",
  custom_args: { arg1: "string val", arg2: 123 },
};

describe("EngageLab request → SendInput", () => {
  it("translates the seed's template example into Meta's template object, keeping request_id and custom_args", () => {
    const input = canonical(SEED_TEMPLATE);
    expect(input).toMatchObject({
      accountId: "acc_1",
      phoneNumberId: "pnid_1",
      idempotencyKey: "123asdbbqwe9faweg",
      idempotencyPerRequest: true,
      clientData: { arg1: "string val", arg2: 123 },
    });
    expect(input.message).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "00447911123456",
      type: "template",
      template: {
        name: "your_template_name",
        language: { code: "zh_CN", policy: "deterministic" },
        components: SEED_TEMPLATE.body.template.components,
      },
    });
  });

  it("translates image, video, audio and sticker media as Meta's objects, with id or link", () => {
    const cases = [
      { type: "image", image: { link: "https://img.example.com/c866bd2.png", caption: "légende" } },
      { type: "video", video: { link: "https://img.example.com/432acc5.mp4", caption: "légende" } },
      { type: "audio", audio: { id: "1234567890" } },
      { type: "sticker", sticker: { link: "https://img.example.com/sample.webp" } },
    ];
    for (const body of cases) {
      const input = canonical({ to: "243812345678", body });
      expect(input.message).toEqual({ messaging_product: "whatsapp", recipient_type: "individual", to: "243812345678", ...body });
    }
  });

  it("translates a text with a plain-string recipient, and leaves idempotency and client data empty when absent", () => {
    const input = canonical({ from: "8613800138000", to: "+243 81 234 5678", body: { type: "text", text: { body: "Bonjour" } } });
    expect(input.message).toMatchObject({ type: "text", text: { body: "Bonjour" }, to: "+243 81 234 5678" });
    expect(input.idempotencyKey).toBeNull();
    expect(input.clientData).toBeNull();
  });

  it("names a document after its caption when it has no filename, as the seed says, and keeps an explicit filename", () => {
    const link = "https://files.example.com/f.pdf";
    const byCaption = canonical({ to: "243812345678", body: { type: "document", document: { link, caption: "facture.pdf" } } });
    expect(byCaption.message).toMatchObject({ document: { link, caption: "facture.pdf", filename: "facture.pdf" } });
    const explicit = canonical({ to: "243812345678", body: { type: "document", document: { link, caption: "Votre facture", filename: "f-12.pdf" } } });
    expect(explicit.message).toMatchObject({ document: { caption: "Votre facture", filename: "f-12.pdf" } });
    const unusable = canonical({ to: "243812345678", body: { type: "document", document: { link, caption: "a/b" } } });
    expect(unusable.message).toEqual(expect.objectContaining({ document: { link, caption: "a/b" } }));
  });

  it("accepts button components with Meta's sub_type and index", () => {
    const input = canonical({
      to: "243812345678",
      body: {
        type: "template",
        template: {
          name: "otp_code",
          language: "fr",
          components: [
            { type: "body", parameters: [{ type: "text", text: "123456" }] },
            { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "123456" }] },
          ],
        },
      },
    });
    expect(input.message).toMatchObject({ template: { components: [{ type: "body" }, { type: "button", sub_type: "url", index: "0" }] } });
  });

  it("maps canonical paths back to the client's fields", () => {
    expect(engagelabFieldName("to")).toBe("to");
    expect(engagelabFieldName("phone_number_id")).toBe("from");
    expect(engagelabFieldName("text.body")).toBe("body.text.body");
    expect(engagelabFieldName("template.language.code")).toBe("body.template.language");
    expect(engagelabFieldName("template.components[0].parameters[1]")).toBe("body.template.components[0].parameters[1]");
  });
});

describe("EngageLab request validation names the client's field", () => {
  const to = "243812345678";
  const cases: [string, object, string, RegExp?][] = [
    ["missing to", { body: { type: "text", text: { body: "x" } } }, "to"],
    ["to not a string", { to: 243812345678, body: { type: "text", text: { body: "x" } } }, "to"],
    ["over 10,000 recipients", { to: Array.from({ length: 10_001 }, () => to), body: { type: "text", text: { body: "x" } } }, "to", /at most 10000 recipients/],
    ["no recipient", { to: [], body: { type: "text", text: { body: "x" } } }, "to", /must hold one recipient/],
    ["missing body", { to }, "body"],
    ["unknown type", { to, body: { type: "location" } }, "body.type", /must be one of: template, text/],
    ["type without its object", { to, body: { type: "template" } }, "body.template", /must be set when body.type is template/],
    ["text over 4096", { to, body: { type: "text", text: { body: "a".repeat(4097) } } }, "body.text.body", /4096/],
    ["empty text", { to, body: { type: "text", text: { body: "" } } }, "body.text.body"],
    ["caption over 1024", { to, body: { type: "image", image: { link: "https://x.example/a.png", caption: "c".repeat(1025) } } }, "body.image.caption", /1024/],
    ["media with id and link", { to, body: { type: "video", video: { id: "123", link: "https://x.example/v.mp4" } } }, "body.video", /exactly one of id or link/],
    ["media with neither", { to, body: { type: "sticker", sticker: {} } }, "body.sticker", /exactly one of id or link/],
    ["link to a private host", { to, body: { type: "audio", audio: { link: "http://192.168.1.2/a.mp3" } } }, "body.audio.link", /public host/],
    ["filename with a slash", { to, body: { type: "document", document: { link: "https://x.example/f.pdf", filename: "a/b.pdf" } } }, "body.document.filename"],
    ["template name in capitals", { to, body: { type: "template", template: { name: "Promo", language: "fr" } } }, "body.template.name", /lowercase/],
    ["template language", { to, body: { type: "template", template: { name: "promo", language: "french" } } }, "body.template.language", /language code/],
    [
      "unknown parameter type",
      { to, body: { type: "template", template: { name: "promo", language: "fr", components: [{ type: "body", parameters: [{ type: "location" }] }] } } },
      "body.template.components[0].parameters[0].type",
    ],
    [
      "currency without its code",
      {
        to,
        body: {
          type: "template",
          template: { name: "promo", language: "fr", components: [{ type: "body", parameters: [{ type: "currency", currency: { fallback_value: "$1", amount_1000: 1000 } }] }] },
        },
      },
      "body.template.components[0].parameters[0].currency.code",
    ],
    [
      "media parameter outside the header",
      {
        to,
        body: {
          type: "template",
          template: { name: "promo", language: "fr", components: [{ type: "body", parameters: [{ type: "image", image: { link: "https://x.example/a.png" } }] }] },
        },
      },
      "body.template.components[0].parameters[0].type",
      /header component only/,
    ],
    ["empty request_id", { to, body: { type: "text", text: { body: "x" } }, request_id: "" }, "request_id"],
    ["custom_args not an object", { to, body: { type: "text", text: { body: "x" } }, custom_args: "x" }, "custom_args"],
    ["custom_args too large", { to, body: { type: "text", text: { body: "x" } }, custom_args: { a: "x".repeat(5000) } }, "custom_args", /4096/],
  ];
  for (const [name, body, field, reason] of cases) {
    it(`${name} → ${field}`, () => {
      const result = parse(body);
      expect(fieldsOf(result)).toContain(field);
      if (reason) expect(reasonsOf(result).join(" ")).toMatch(reason);
    });
  }
});

describe("EngageLab Basic credentials", () => {
  it("reads dev_key:dev_secret, keeping colons inside the secret", () => {
    expect(basicCredentials(`Basic ${btoa("dk_1:ds_a:b")}`)).toEqual({ devKey: "dk_1", devSecret: "ds_a:b" });
    expect(basicCredentials(`basic   ${btoa("dk_1:ds_2")}  `)).toEqual({ devKey: "dk_1", devSecret: "ds_2" });
  });

  it("refuses a missing, non-Basic, undecodable or colon-less header, and empty halves", () => {
    for (const header of [null, "", "Bearer abc", "Basic", "Basic !!!", "Basic a", `Basic ${btoa("nocolon")}`, `Basic ${btoa(":secret")}`, `Basic ${btoa("key:")}`]) {
      expect(basicCredentials(header)).toBeNull();
    }
  });
});
