/**
 * Structured logs: one JSON object a line, always with the request id. Callers pass fields, never
 * secrets or request bodies.
 */
type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  return {
    log(level, event, fields = {}) {
      const line = JSON.stringify({ level, event, ...base, ...fields });
      if (level === "error") console.error(line);
      else if (level === "warn") console.warn(line);
      else console.log(line);
    },
    child(fields) {
      return createLogger({ ...base, ...fields });
    },
  };
}

/** What of an unexpected error goes into a log line: its name, message and stack, nothing else. */
export function describeError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) return { error_name: e.name, error_message: e.message, stack: e.stack };
  return { error_message: String(e) };
}
