import * as z from "zod";
import type { AccountRow } from "../../core/accounts/accounts";

const iso = (ms: number) => new Date(ms).toISOString();

/** An account as the console shows it (no secret, no hash). */
export const AccountSchema = z
  .object({
    id: z.string(),
    id_user: z.string().describe("The same as id: toKABOLA's name for it"),
    name: z.string(),
    plan: z.object({ code: z.string().describe("TRIAL, STANDARD, GOLD or OWNER"), expires_at: z.string(), auto_pay: z.boolean() }),
    suspended: z.boolean(),
    suspended_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "ConsoleAccount" });

export const accountJson = (a: AccountRow): z.output<typeof AccountSchema> => ({
  id: a.id,
  id_user: a.id,
  name: a.name,
  plan: { code: a.plan, expires_at: iso(a.plan_expires_at), auto_pay: a.auto_pay === 1 },
  suspended: a.suspended_at !== null,
  suspended_at: a.suspended_at === null ? null : iso(a.suspended_at),
  created_at: iso(a.created_at),
});
