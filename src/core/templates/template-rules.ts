import * as z from "zod";
import { AppError, fail, ok, type FieldIssue, type Result } from "../../lib/errors";
import { checkFields, withKind } from "../../lib/validation";
import type { CanonicalMessage } from "../messages/canonical";
import type { TemplateCategory, TemplateRecord } from "../messages/contract";

/**
 * What a template's components (Meta's creation format, reference §8) must look like, and how
 * many parameters a send of it must carry (Meta's "param count mismatch", caught before
 * the round trip).
 */

const placeholders = (text: string | undefined) => new Set([...(text ?? "").matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!));

/** Positional placeholders run {{1}}, {{2}}, … without gaps; named ones are lowercase with underscores. */
const placeholderText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max, `must be at most ${max} characters`)
    .refine((text) => {
      const names = [...placeholders(text)];
      const positional = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
      return positional.every((n, i) => n === i + 1) && (positional.length === 0 || positional.length === names.length);
    }, { message: "placeholders must be {{1}}, {{2}}, … in sequence, or all named", params: withKind("invalid_format") });

const button = z
  .object({
    type: z.enum(["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "MPM", "CATALOG"]),
    text: z.string().min(1).max(25, "must be at most 25 characters").optional(),
    url: z.string().url().optional(),
  })
  .loose();

const component = z.discriminatedUnion("type", [
  z.object({ type: z.literal("HEADER"), format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]), text: placeholderText(60).optional() }).loose(),
  z.object({ type: z.literal("BODY"), text: placeholderText(1024).optional(), add_security_recommendation: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("FOOTER"), text: z.string().min(1).max(60).optional(), code_expiration_minutes: z.number().int().min(1).max(90).optional() }).loose(),
  z.object({ type: z.literal("BUTTONS"), buttons: z.array(button).min(1).max(10) }).loose(),
]);

const TemplateComponentsSchema = z.array(component).min(1).max(4);
type Component = z.output<typeof component>;

/** Checks components for a category; issues are named under `field` (e.g. `components`). */
export function checkComponents(category: TemplateCategory, components: unknown, field = "components"): Result<Component[]> {
  const parsed = checkFields(TemplateComponentsSchema, components, field);
  if (!parsed.ok) return { ok: false, error: new AppError("invalid_request", "Invalid template components", { issues: parsed.issues }) };
  const list = parsed.value;
  const problem = (reason: string) => fail<Component[]>("invalid_request", "Invalid template components", { issues: [{ field, kind: "invalid_value", reason }] });
  const count = (type: Component["type"]) => list.filter((c) => c.type === type).length;
  if (count("BODY") !== 1) return problem("must have exactly one BODY");
  if (["HEADER", "FOOTER", "BUTTONS"].some((t) => count(t as Component["type"]) > 1)) return problem("must have at most one HEADER, FOOTER and BUTTONS");
  const body = list.find((c) => c.type === "BODY") as { text?: string };
  if (category !== "AUTHENTICATION" && !body.text) return problem("BODY needs a text");
  if (category === "AUTHENTICATION" && !list.some((c) => c.type === "BUTTONS" && c.buttons.some((b) => b.type === "OTP"))) {
    return problem("an AUTHENTICATION template needs an OTP button (otp_type COPY_CODE)");
  }
  return ok(list);
}

interface Expected {
  header: { type: string; count: number } | null;
  body: number;
  /** Button index → parameters it takes (URL with a variable, copy-code, OTP). */
  buttons: Map<number, number>;
}

function expectedParameters(record: TemplateRecord): Expected {
  const list = record.components as Component[];
  const header = list.find((c) => c.type === "HEADER") as { format: string; text?: string } | undefined;
  const body = list.find((c) => c.type === "BODY") as { text?: string } | undefined;
  const buttons = new Map<number, number>();
  (list.find((c) => c.type === "BUTTONS") as { buttons: { type: string; url?: string }[] } | undefined)?.buttons.forEach((b, i) => {
    if (b.type === "OTP" || b.type === "COPY_CODE" || (b.type === "URL" && placeholders(b.url).size > 0)) buttons.set(i, 1);
  });
  return {
    header: !header
      ? null
      : header.format === "TEXT"
        ? { type: "text", count: placeholders(header.text).size }
        : header.format === "LOCATION"
          ? null
          : { type: header.format.toLowerCase(), count: 1 },
    // Meta writes an authentication template's body itself: its one parameter is the code.
    body: record.category === "AUTHENTICATION" ? 1 : placeholders(body?.text).size,
    buttons,
  };
}

type TemplateSend = Extract<CanonicalMessage, { type: "template" }>["template"];

/** A template send carries the parameters its template takes: header, body, and each variable button. */
export function checkTemplateSend(record: TemplateRecord, template: TemplateSend, field: (path: string) => string): Result<void> {
  const expected = expectedParameters(record);
  const sent = template.components ?? [];
  const issues: FieldIssue[] = [];
  const mismatch = (reason: string) => issues.push({ field: field("template.components"), kind: "count_mismatch", reason });
  const paramsOf = (type: string) => sent.find((c) => c.type === type)?.parameters ?? [];
  const header = paramsOf("header");
  if ((expected.header?.count ?? 0) !== header.length) {
    mismatch(`the header of ${record.name} takes ${expected.header?.count ?? 0} parameter(s), got ${header.length}`);
  } else if (expected.header && expected.header.type !== "text" && header[0]?.type !== expected.header.type) {
    issues.push({ field: field("template.components"), kind: "invalid_type", reason: `the header of ${record.name} takes a ${expected.header.type} parameter` });
  }
  const body = paramsOf("body");
  if (expected.body !== body.length) {
    mismatch(`the body of ${record.name} takes ${expected.body} parameter(s), got ${body.length}`);
  }
  const buttons = new Map(sent.filter((c) => c.type === "button").map((c) => [Number(c.index ?? 0), c.parameters.length]));
  for (const index of new Set([...expected.buttons.keys(), ...buttons.keys()])) {
    const want = expected.buttons.get(index) ?? 0;
    const got = buttons.get(index) ?? 0;
    if (want !== got) mismatch(`button ${index} of ${record.name} takes ${want} parameter(s), got ${got}`);
  }
  if (issues.length) return fail("invalid_request", `Parameters do not match template ${record.name}`, { issues });
  return ok(undefined);
}
