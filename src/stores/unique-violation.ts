/** `table.column` of a violated UNIQUE/PRIMARY KEY constraint, or null for any other error. */
export function uniqueViolation(e: unknown): string | null {
  const message = e instanceof Error ? e.message : String(e);
  const match = /UNIQUE constraint failed: ([\w.]+)/.exec(message);
  return match ? match[1]! : null;
}
