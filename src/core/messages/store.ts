import type { Currency } from "../../lib/money";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import type { MessageCategory } from "../../stores/money/prices";
import type { SentMessage } from "./contract";

/** The `messages` table (migrations/0005_messages.sql). */
export type MessageStatus = "pending" | "accepted" | "sent" | "delivered" | "read" | "failed";

export interface MessageRow {
  id: string;
  account_id: string;
  phone_number_id: string;
  upstream: UpstreamKind;
  to_input: string;
  wa_id: string;
  type: string;
  category: MessageCategory;
  wamid: string | null;
  status: MessageStatus;
  error: string | null;
  hold_reference: string | null;
  charge_currency: Currency | null;
  charge_amount: number | null;
  client_data: string | null;
  /** The campaign that sent it; null for a single send. */
  campaign_id: string | null;
  created_at: number;
  updated_at: number;
}

export const MESSAGE_COLUMNS =
  "id, account_id, phone_number_id, upstream, to_input, wa_id, type, category, wamid, status, error, hold_reference, charge_currency, charge_amount, client_data, campaign_id, created_at, updated_at";

export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `msg_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export type NewMessage = Omit<MessageRow, "wamid" | "status" | "error" | "updated_at">;

/** Writes a message `pending` (before the upstream call), or `accepted` with its wamid (a local upstream). */
export function insertMessageStatement(ctx: CoreContext, row: NewMessage, accepted?: { wamid: string }): D1PreparedStatement {
  return ctx.db
    .prepare(
      `INSERT INTO messages (id, account_id, phone_number_id, upstream, to_input, wa_id, type, category, wamid, status, hold_reference, charge_currency, charge_amount, client_data, campaign_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.id,
      row.account_id,
      row.phone_number_id,
      row.upstream,
      row.to_input,
      row.wa_id,
      row.type,
      row.category,
      accepted?.wamid ?? null,
      accepted ? "accepted" : "pending",
      row.hold_reference,
      row.charge_currency,
      row.charge_amount,
      row.client_data,
      row.campaign_id,
      row.created_at,
      row.created_at,
    );
}

export function sentMessageOf(row: Pick<MessageRow, "id" | "wamid" | "to_input" | "wa_id" | "phone_number_id" | "charge_currency" | "charge_amount">, replayed: boolean): SentMessage {
  return {
    id: row.id,
    wamid: row.wamid!,
    to: row.to_input,
    waId: row.wa_id,
    phoneNumberId: row.phone_number_id,
    charge: row.charge_currency && row.charge_amount ? { currency: row.charge_currency, amount: row.charge_amount } : null,
    replayed,
  };
}
