import * as z from "zod";
import { AppError, type FieldIssue, type FieldIssueKind, type Result } from "./errors";

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
 * A client-supplied URL: https always, plain http only for localhost outside production.
 * Returns the schema so each route can say which environment it runs in.
 */
export function clientUrl(production: boolean) {
  return z
    .string()
    .trim()
    .max(2048)
    .refine((value) => isAllowedClientUrl(value, production), {
      params: withKind("invalid_format"),
      message: production ? "must be an https URL" : "must be an https URL (http is allowed for localhost only)",
    });
}

function isAllowedClientUrl(value: string, production: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return !production && url.protocol === "http:" && local;
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
