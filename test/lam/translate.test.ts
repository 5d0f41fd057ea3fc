import { describe, expect, it } from "vitest";
import { CanonicalMessageSchema } from "../../src/core/messages/canonical";
import { AppError, isAppError } from "../../src/lib/errors";
import { renderLamError } from "../../src/dialects/lam/errors";
import { LamMessageSchema } from "../../src/dialects/lam/message-schema";
import { lamParse } from "../../src/dialects/lam/router";
import { lamToSendInput } from "../../src/dialects/lam/translate";

const sender = { accountId: "acc_1", phoneNumberId: "100000000000001", idempotencyKey: null };
const translate = (body: unknown) => lamToSendInput(lamParse(LamMessageSchema, body), sender);

/** The canonical message must pass the canonical schema once `to` is in digits (the pipeline's job). */
const expectCanonical = (message: { to: string }) =>
  expect(CanonicalMessageSchema.safeParse({ ...message, to: message.to.replace(/\D/g, "") }).success).toBe(true);

/** The LAM error entries a body produces. */
async function entries(body: unknown) {
  try {
    lamParse(LamMessageSchema, body);
  } catch (e) {
    if (!isAppError(e)) throw e;
    const res = renderLamError(e, "req_test");
    expect(res.status).toBe(400);
    return (await res.json<{ errors: { code: number; title: string; details: string }[] }>()).errors;
  }
  throw new Error("expected the body to be refused");
}

describe("LAM body → SendInput", () => {
  it("the seed's On-Premise text (recipient_type individu) becomes a canonical text", () => {
    const input = translate({ recipient_type: "individu", to: "243812345678", type: "text", text: { body: "votre-message-contenu" } });
    expect(input).toMatchObject({ accountId: "acc_1", phoneNumberId: "100000000000001", idempotencyKey: null });
    expect(input.message).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "243812345678",
      type: "text",
      text: { body: "votre-message-contenu" },
    });
    expectCanonical(input.message);
  });

  it("an On-Premise top-level preview_url moves into text, and its errors still name preview_url", async () => {
    const input = translate({ to: "+243 81 234 5678", type: "text", preview_url: true, text: { body: "https://example.com" } });
    expect(input.message).toMatchObject({ to: "+243 81 234 5678", text: { body: "https://example.com", preview_url: true } });
    expect(input.fieldName!("text.preview_url")).toBe("preview_url");
    expect(input.fieldName!("to")).toBe("to");
    expect(await entries({ to: "243812345678", type: "text", preview_url: "yes", text: { body: "x" } })).toEqual([
      { code: 1009, title: "Parameter value is not valid", details: expect.stringMatching(/^preview_url: /) },
    ]);
  });

  it("the Cloud body (messaging_product, text.preview_url) is accepted as is", () => {
    const body = { messaging_product: "whatsapp", recipient_type: "individual", to: "243812345678", type: "text", text: { body: "Bonjour", preview_url: false } };
    const input = translate(body);
    expect(input.message).toEqual(body);
    expect(input.fieldName!("text.preview_url")).toBe("text.preview_url");
  });

  it("an On-Premise template drops its namespace and keeps language.code and policy", () => {
    const template = {
      namespace: "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574",
      name: "order_update",
      language: { policy: "deterministic", code: "fr" },
      components: [{ type: "body", parameters: [{ type: "text", text: "Amina" }, { type: "currency", currency: { fallback_value: "$10", code: "USD", amount_1000: 10000 } }] }],
    };
    const input = translate({ to: "243812345678", type: "template", template });
    const { namespace: _, ...rest } = template;
    expect(input.message).toMatchObject({ type: "template", template: rest });
    expect("namespace" in (input.message as unknown as { template: object }).template).toBe(false);
    expectCanonical(input.message);
  });

  it.each([
    ["image", { link: "https://example.com/a.jpg", caption: "Photo" }],
    ["video", { id: "1234567890" }],
    ["audio", { link: "https://example.com/a.ogg" }],
    ["document", { link: "https://example.com/a.pdf", filename: "facture.pdf", caption: "Facture" }],
    ["sticker", { id: "sticker-1" }],
    ["location", { latitude: -4.32, longitude: 15.31, name: "Gombe", address: "Kinshasa" }],
    ["interactive", { type: "button", body: { text: "Choisissez" }, action: { buttons: [{ type: "reply", reply: { id: "1", title: "Oui" } }] } }],
  ])("a %s message is carried over unchanged", (type, payload) => {
    const input = translate({ recipient_type: "individual", to: "243812345678", type, [type]: payload });
    expect(input.message).toEqual({ messaging_product: "whatsapp", recipient_type: "individual", to: "243812345678", type, [type]: payload });
    expectCanonical(input.message);
  });

  it("contacts are carried over", () => {
    const contacts = [{ name: { formatted_name: "Amina K", first_name: "Amina" }, phones: [{ phone: "+243812345678", type: "CELL" }] }];
    expect(translate({ to: "243812345678", type: "contacts", contacts }).message).toMatchObject({ contacts });
  });
});

describe("LAM validation errors (one entry per field, On-Premise codes)", () => {
  it.each<[string, unknown, { code: number; field: string }[]]>([
    ["missing to and type", {}, [{ code: 1008, field: "type" }]],
    ["missing to", { type: "text", text: { body: "x" } }, [{ code: 1008, field: "to" }]],
    ["empty to", { to: " ", type: "text", text: { body: "x" } }, [{ code: 1009, field: "to" }]],
    ["to too short", { to: "12", type: "text", text: { body: "x" } }, [{ code: 1009, field: "to" }]],
    ["to without a country", { to: "+999 12345678", type: "text", text: { body: "x" } }, [{ code: 1009, field: "to" }]],
    ["unknown type", { to: "243812345678", type: "hsm", hsm: {} }, [{ code: 1009, field: "type" }]],
    ["bad recipient_type", { recipient_type: "group", to: "243812345678", type: "text", text: { body: "x" } }, [{ code: 1009, field: "recipient_type" }]],
    ["bad messaging_product", { messaging_product: "sms", to: "243812345678", type: "text", text: { body: "x" } }, [{ code: 1009, field: "messaging_product" }]],
    ["missing text", { to: "243812345678", type: "text" }, [{ code: 1008, field: "text" }]],
    ["missing text.body", { to: "243812345678", type: "text", text: {} }, [{ code: 1008, field: "text.body" }]],
    ["empty text.body", { to: "243812345678", type: "text", text: { body: "" } }, [{ code: 1009, field: "text.body" }]],
    ["text.body over 4096", { to: "243812345678", type: "text", text: { body: "a".repeat(4097) } }, [{ code: 1009, field: "text.body" }]],
    ["an extra field", { to: "243812345678", type: "text", text: { body: "x" }, ttl: 3 }, [{ code: 1010, field: "(body)" }]],
    ["image with both id and link", { to: "243812345678", type: "image", image: { id: "1", link: "https://e.com/a.jpg" } }, [{ code: 1009, field: "image" }]],
    ["image with neither", { to: "243812345678", type: "image", image: { caption: "x" } }, [{ code: 1009, field: "image" }]],
    ["image on a private host", { to: "243812345678", type: "image", image: { link: "https://printer.local/a.jpg" } }, [{ code: 1009, field: "image.link" }]],
    ["caption over 1024", { to: "243812345678", type: "video", video: { id: "1", caption: "c".repeat(1025) } }, [{ code: 1009, field: "video.caption" }]],
    ["filename with a slash", { to: "243812345678", type: "document", document: { id: "1", filename: "a/b.pdf" } }, [{ code: 1009, field: "document.filename" }]],
    ["sticker with a caption", { to: "243812345678", type: "sticker", sticker: { id: "1", caption: "x" } }, [{ code: 1010, field: "sticker" }]],
    ["template name with capitals", { to: "243812345678", type: "template", template: { name: "Order", language: { code: "fr" } } }, [{ code: 1009, field: "template.name" }]],
    ["template without language", { to: "243812345678", type: "template", template: { name: "order" } }, [{ code: 1008, field: "template.language" }]],
    ["template language code", { to: "243812345678", type: "template", template: { name: "order", language: { code: "french" } } }, [{ code: 1009, field: "template.language.code" }]],
    ["template language policy", { to: "243812345678", type: "template", template: { name: "order", language: { code: "fr", policy: "fallback" } } }, [{ code: 1009, field: "template.language.policy" }]],
    [
      "template parameter type",
      { to: "243812345678", type: "template", template: { name: "order", language: { code: "fr" }, components: [{ type: "body", parameters: [{ type: "emoji" }] }] } },
      [{ code: 1009, field: "template.components[0].parameters[0].type" }],
    ],
    ["location latitude", { to: "243812345678", type: "location", location: { latitude: 91, longitude: 0 } }, [{ code: 1009, field: "location.latitude" }]],
    ["no contact", { to: "243812345678", type: "contacts", contacts: [] }, [{ code: 1009, field: "contacts" }]],
    ["interactive without action", { to: "243812345678", type: "interactive", interactive: { type: "button" } }, [{ code: 1008, field: "interactive.action" }]],
  ])("%s", async (_name, body, expected) => {
    const got = await entries(body);
    expect(got.map((e) => ({ code: e.code, field: e.details.split(":")[0] }))).toEqual(expected);
    const titles = { 1008: "Required parameter is missing", 1009: "Parameter value is not valid", 1010: "Parameter is not required" };
    for (const e of got) expect(e.title).toBe(titles[e.code as keyof typeof titles]);
  });

  it("several problems give several entries", async () => {
    for (const to of ["", "12"]) {
      const got = await entries({ to, type: "text", text: { body: "" } });
      expect(got.map((e) => e.details.split(":")[0]).sort()).toEqual(["text.body", "to"]);
    }
  });

  it("an error without fields gives one entry with its own code, and hides internal causes", async () => {
    const res = renderLamError(new AppError("internal", "db password is hunter2"), "req_x");
    expect(res.status).toBe(500);
    const body = await res.json<{ errors: { code: number; details: string }[] }>();
    expect(body.errors).toEqual([{ code: 1014, title: "Internal error", details: expect.not.stringContaining("hunter2") }]);
    const window = renderLamError(new AppError("window_closed", "outside the window"), "req_x");
    expect(window.status).toBe(403);
    expect((await window.json<{ errors: { code: number }[] }>()).errors[0]!.code).toBe(470);
    const limited = renderLamError(new AppError("rate_limited", "slow down", { retryAfterSeconds: 7 }), "req_x");
    expect([limited.status, limited.headers.get("Retry-After")]).toEqual([429, "7"]);
  });
});
