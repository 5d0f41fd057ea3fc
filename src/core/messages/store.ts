import type { CoreContext } from "../../config/context";
import { d1MessageLog } from "../../stores/message-log/d1";
import { durableMessageLog } from "./durable-log";
import type { MessageLog, MessageRow } from "../../stores/message-log/model";
import type { SentMessage } from "./contract";
import { SANDBOX_SENDER_ID } from "./sender";

/** Longer than any send takes (three upstream tries with their timeouts); its hold lives as long. */
export const STALE_PENDING_MS = 15 * 60 * 1000;

/** The message log every core function reads and writes (src/stores/message-log/model.ts). */
export const messageLog = (ctx: CoreContext): MessageLog =>
  ctx.config.MESSAGE_LOG === "durable" ? durableMessageLog(ctx, (accountId) => loggedNumbers(ctx, accountId)) : d1MessageLog(ctx.db);

/**
 * The numbers that may have a log: every number an account ever had (or this account's), and the
 * shared sandbox sender (whose log holds every account's sends, each read scoped by its account).
 */
export async function loggedNumbers(ctx: CoreContext, accountId?: string): Promise<string[]> {
  const { results } = await ctx.db
    .prepare("SELECT DISTINCT phone_number_id FROM deployments WHERE phone_number_id IS NOT NULL AND (?1 IS NULL OR account_id = ?1) ORDER BY phone_number_id")
    .bind(accountId ?? null)
    .all<{ phone_number_id: string }>();
  return [SANDBOX_SENDER_ID, ...results.map((r) => r.phone_number_id)];
}

export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `msg_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
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
