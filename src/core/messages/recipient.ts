import { parsePhoneNumberFromString } from "libphonenumber-js";
import { AppError, type Result } from "../../lib/errors";

/**
 * A recipient in digits-only international form (`243812345678`), the form Meta reports as
 * `wa_id`. Accepts `+243 81 234 5678`, `00243812345678`, `243812345678` and the usual separators;
 * a number without a country code is refused, since Meta would silently prefix the business
 * number's own country code.
 */
export function normalizeRecipient(raw: string, field = "to"): Result<string> {
  const compact = raw.trim().replace(/[\s().-]/g, "");
  const international = compact.startsWith("+") ? compact : compact.startsWith("00") ? `+${compact.slice(2)}` : `+${compact}`;
  const problem = (reason: string): Result<string> => ({
    ok: false,
    error: new AppError("invalid_request", `Invalid recipient ${field}`, { issues: [{ field, kind: "invalid_format", reason }] }),
  });
  if (!/^\+\d{8,15}$/.test(international)) {
    return problem("must be a phone number in international format, e.g. 243812345678");
  }
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed || !parsed.isPossible()) return problem("is not a possible phone number for its country code");
  return { ok: true, value: parsed.number.slice(1) };
}

/** The ISO 3166 country (`CD`) of a digits-only international number, when its country code names one. */
export function countryOfNumber(digits: string): string | null {
  return parsePhoneNumberFromString(`+${digits}`)?.country ?? null;
}
