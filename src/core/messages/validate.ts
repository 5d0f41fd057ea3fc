import { AppError, type Result } from "../../lib/errors";
import { checkFields } from "../../lib/validation";
import { CanonicalMessageSchema, type CanonicalMessage } from "./canonical";
import type { SendInput } from "./contract";
import { normalizeRecipient } from "./recipient";

/**
 * The message as Meta will get it: the recipient in digits-only form, every field within Meta's
 * limits. Each problem is reported under the dialect's own field name.
 */
export function validateMessage(input: SendInput["message"], field: (path: string) => string): Result<{ message: CanonicalMessage; waId: string }> {
  const waId = normalizeRecipient(String(input.to ?? ""), field("to"));
  if (!waId.ok) return waId;
  const parsed = checkFields(CanonicalMessageSchema, { ...input, to: waId.value });
  if (parsed.ok) return { ok: true, value: { message: parsed.value, waId: waId.value } };
  const issues = parsed.issues.map((i) => ({ ...i, field: field(i.field) }));
  return { ok: false, error: new AppError("invalid_request", `Invalid message: ${issues.map((i) => i.field).join(", ")}`, { issues }) };
}
