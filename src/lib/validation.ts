import * as z from "zod";
import { AppError, unwrap, type FieldIssue, type FieldIssueKind, type Result } from "./errors";
import { clientUrlProblem } from "./url-policy";

/** Parsed data, or what is wrong with each field. */
type FieldCheck<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/**
 * Parses `data`, naming each problem by its dotted path under `prefix` (`signup.name`, `to[2]`).
 * zod keeps the input on its issues here (`reportInput`), which tells a missing value apart from
 * a wrong one.
 */
export function checkFields<S extends z.ZodType>(schema: S, data: unknown, prefix = ""): FieldCheck<z.output<S>> {
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ field: joinPath(prefix, issue.path), kind: kindOf(issue), reason: issue.message })),
  };
}

/** The `params` of a hand-written zod check (`refine`, `addIssue`) whose problem is not `invalid_value`. */
export const withKind = (kind: FieldIssueKind) => ({ kind });

const LENGTH_ORIGINS = new Set(["string", "array", "set"]);

/** zod's issue code, made one of our kinds. */
function kindOf(issue: z.core.$ZodIssue): FieldIssueKind {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "required" : "invalid_type";
    case "invalid_union":
      return isMissing(issue) ? "required" : "invalid_value";
    case "too_small":
      return LENGTH_ORIGINS.has(issue.origin) ? "too_short" : "too_small";
    case "too_big":
      return LENGTH_ORIGINS.has(issue.origin) ? "too_long" : "too_big";
    case "invalid_format":
      return "invalid_format";
    case "unrecognized_keys":
      return "unexpected_field";
    case "custom":
      // Only `withKind` sets it, so it is one of ours.
      return (issue.params?.kind as FieldIssueKind | undefined) ?? "invalid_value";
    case "invalid_value":
    case "not_multiple_of":
    case "invalid_key":
    case "invalid_element":
      return "invalid_value";
  }
}

/** A union given nothing, or a discriminated union whose discriminator (`type`) is absent: zod reports the whole object. */
function isMissing(issue: z.core.$ZodIssueInvalidUnion): boolean {
  if (issue.input === undefined) return true;
  const { discriminator, input } = issue;
  return discriminator !== undefined && typeof input === "object" && input !== null && (input as Record<string, unknown>)[discriminator] === undefined;
}

function joinPath(prefix: string, path: PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(body)";
}

export function parseWith<S extends z.ZodType>(schema: S, data: unknown, prefix = ""): Result<z.output<S>> {
  const checked = checkFields(schema, data, prefix);
  if (checked.ok) return checked;
  const { issues } = checked;
  return {
    ok: false,
    error: new AppError("invalid_request", `Invalid request: ${issues.map((i) => i.field).join(", ")}`, { issues }),
  };
}

/**
 * A client-supplied URL Tuma will call, under the one URL policy (src/lib/url-policy.ts).
 * Returns the schema so each route can say which environment it runs in.
 */
export function clientUrl(production: boolean) {
  return z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      const problem = clientUrlProblem(value, production);
      // Not continued: later checks (a photo's extension) may parse it as a URL.
      if (problem) ctx.addIssue({ code: "custom", message: problem, params: withKind("invalid_format"), continue: false });
    });
}

/** The same result with each issue's field under `prefix` (`from` → `addfund.from`). */
export function prefixIssues<T>(result: Result<T>, prefix: string): Result<T> {
  const issues = result.ok ? undefined : result.error.details.issues;
  if (result.ok || !issues) return result;
  const error = new AppError(result.error.code, result.error.message, {
    ...result.error.details,
    issues: issues.map((i) => ({ ...i, field: `${prefix}.${i.field}` })),
  });
  return { ok: false, error };
}

/** Parses or throws the `invalid_request` error each dialect renders in its own format (the routes' default `Parse`). */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix = ""): z.output<S> {
  return unwrap(parseWith(schema, data, prefix));
}
