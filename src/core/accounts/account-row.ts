/** An account as stored in D1 (secrets excluded). */
export interface AccountRow {
  id: string;
  name: string;
  description: string | null;
  logo_url: string | null;
  webhook_url: string | null;
  key_prefix: string;
  plan: string;
  plan_expires_at: number;
  auto_pay: number;
  created_at: number;
  updated_at: number;
}

export const ACCOUNT_COLUMNS =
  "id, name, description, logo_url, webhook_url, key_prefix, plan, plan_expires_at, auto_pay, created_at, updated_at";

/** The same columns, qualified by a table alias (for joins). */
export const accountColumnsOf = (alias: string) =>
  ACCOUNT_COLUMNS.split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ");
