import { AppError, fail, ok, type FieldIssue, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";

/**
 * The phone_number_id of one of the account's live numbers, given as the number people see
 * (`+243812345678`, `00243812345678`, `243812345678`): EngageLab's `from`. Another account's
 * number is answered exactly like an unknown one, `forbidden` (this account may not send from it).
 */
export async function phoneNumberIdByDisplay(ctx: CoreContext, accountId: string, display: string, field: string): Promise<Result<string>> {
  const compact = display.trim().replace(/[\s().-]/g, "");
  const digits = compact.replace(/^(\+|00)/, "");
  if (!/^\d{6,18}$/.test(digits)) {
    const issues: FieldIssue[] = [{ field, kind: "invalid_format", reason: "must be the sending number in international form, e.g. +243812345678" }];
    return { ok: false, error: new AppError("invalid_request", `Invalid ${field}`, { issues }) };
  }
  const row = await ctx.db
    .prepare("SELECT phone_number_id, state FROM deployments WHERE account_id = ? AND cc || number = ? AND state != 'DELETED'")
    .bind(accountId, digits)
    .first<{ phone_number_id: string | null; state: string }>();
  if (!row) return fail("forbidden", `${field} +${digits} is not a number of this account`);
  if (!row.phone_number_id) return fail("conflict", `${field} +${digits} is in the ${row.state} state, not READY`);
  return ok(row.phone_number_id);
}
