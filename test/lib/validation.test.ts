import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkFields, withKind } from "../../src/lib/validation";

const kinds = (schema: z.ZodType, data: unknown) => {
  const checked = checkFields(schema, data);
  if (checked.ok) throw new Error("expected the data to be refused");
  return checked.issues.map((i) => [i.field, i.kind]);
};

describe("zod's issues become field issues with a machine kind", () => {
  it("tells a missing value from a value of the wrong type", () => {
    const schema = z.object({ name: z.string(), age: z.number() });
    expect(kinds(schema, { age: "12" })).toEqual([
      ["name", "required"],
      ["age", "invalid_type"],
    ]);
  });

  it("a union's missing discriminator, or a union given nothing, is required; an unknown discriminator is an invalid value", () => {
    const message = z.discriminatedUnion("type", [z.object({ type: z.literal("text") }), z.object({ type: z.literal("image") })]);
    expect(kinds(message, {})).toEqual([["type", "required"]]);
    expect(kinds(message, { type: "hsm" })).toEqual([["type", "invalid_value"]]);
    expect(kinds(z.object({ amount: z.union([z.string(), z.number()]) }), {})).toEqual([["amount", "required"]]);
    expect(kinds(z.object({ amount: z.union([z.string(), z.number()]) }), { amount: true })).toEqual([["amount", "invalid_value"]]);
  });

  it("lengths are too_short or too_long; numbers and dates too_small or too_big", () => {
    const schema = z.object({ s: z.string().min(2).max(3), list: z.array(z.number()).max(1), n: z.number().min(1).max(9), when: z.date().max(new Date(0)) });
    expect(kinds(schema, { s: "a", list: [1, 2], n: 10, when: new Date(1) })).toEqual([
      ["s", "too_short"],
      ["list", "too_long"],
      ["n", "too_big"],
      ["when", "too_big"],
    ]);
    expect(kinds(z.object({ s: z.string().max(1), n: z.number().min(1) }), { s: "ab", n: 0 })).toEqual([
      ["s", "too_long"],
      ["n", "too_small"],
    ]);
  });

  it("a format, a value outside an enum, and an unknown key each have their kind", () => {
    const schema = z.strictObject({ url: z.string().url(), code: z.string().regex(/^\d+$/), lang: z.enum(["fr", "en"]), step: z.number().multipleOf(5) });
    expect(kinds(schema, { url: "nope", code: "x", lang: "de", step: 3, extra: 1 })).toEqual([
      ["url", "invalid_format"],
      ["code", "invalid_format"],
      ["lang", "invalid_value"],
      ["step", "invalid_value"],
      ["(body)", "unexpected_field"],
    ]);
  });

  it("a hand-written check says its kind with withKind, and is an invalid value otherwise", () => {
    const schema = z
      .object({ method: z.string(), body: z.string().optional(), pin: z.string().refine((p) => p !== "0000", "must not be 0000") })
      .superRefine((o, ctx) => {
        if (o.body === undefined) ctx.addIssue({ code: "custom", path: ["body"], message: `is required with method ${o.method}`, params: withKind("required") });
      });
    expect(kinds(schema, { method: "text", body: "x", pin: "0000" })).toEqual([["pin", "invalid_value"]]);
    expect(kinds(schema, { method: "text", pin: "1" })).toEqual([["body", "required"]]);
  });
});
