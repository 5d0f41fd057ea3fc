import { z } from "zod";
import { AppError, type FieldIssue, type Result } from "./errors";

/** Turns zod issues into field issues with dotted paths (`signup.name`, `to[2]`). */
export function toFieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: joinPath(prefix, issue.path),
    reason: issue.message,
  }));
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
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = toFieldIssues(parsed.error, prefix);
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
