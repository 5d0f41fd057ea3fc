import { fail, ok, type Result } from "../lib/errors";
import type { CoreContext } from "./context";
import { normalizeRecipient } from "./messages/recipient";

/**
 * The phone_number_id of one of the account's live numbers, given as the number people see
 * (`+243812345678`, `243812345678`): EngageLab's `from`. Another account's number is answered
 * exactly like an unknown one, `forbidden` (this account may not send from it).
 */
export async function phoneNumberIdByDisplay(ctx: CoreContext, accountId: string, display: string, field: string): Promise<Result<string>> {
  const digits = normalizeRecipient(display, field);
  if (!digits.ok) return digits;
  const row = await ctx.db
    .prepare("SELECT phone_number_id, state FROM deployments WHERE account_id = ? AND cc || number = ? AND state != 'DELETED'")
    .bind(accountId, digits.value)
    .first<{ phone_number_id: string | null; state: string }>();
  if (!row) return fail("forbidden", `${field} +${digits.value} is not a number of this account`);
  if (!row.phone_number_id) return fail("conflict", `${field} +${digits.value} is in the ${row.state} state, not READY`);
  return ok(row.phone_number_id);
}
