import type { Currency } from "../../lib/money";
import type { CanonicalMessage } from "./canonical";

/**
 * The one send pipeline's contract, shared by every dialect (toKABOLA, EngageLab, LAfricaMobile).
 * `sendMessage(ctx, input): Promise<Result<SentMessage>>` lives in `send.ts`; the template
 * functions below live in `../templates.ts`. A dialect translates its wire format into a
 * `SendInput`, calls `sendMessage`, and formats the `SentMessage` or the error its own way.
 *
 * The pipeline: resolve the sending number (READY, owned by the account) → validate → check the
 * 24-hour window → price and place a hold → call the upstream → record the message → post the
 * hold on acceptance or void it on failure. No path leaves a message without a settled hold, a
 * hold without a message, or a charge for a message Meta refused.
 */
/** A canonical message whose `to` is still as the client wrote it (per message type: `Omit` alone would not distribute). */
export type OutgoingMessage = CanonicalMessage extends infer M ? (M extends unknown ? Omit<M, "to"> & { to: string } : never) : never;

export interface SendInput {
  accountId: string;
  /**
   * The sending number's phone_number_id. Null picks the account's READY number: exactly one
   * must exist, else `not_found` (none) or `invalid_request` naming the choices (several).
   */
  phoneNumberId: string | null;
  /**
   * Meta's message object. `to` is the recipient as the client wrote it (`+243 81…`, `00243…`,
   * `243…`); the pipeline normalizes it to digits and reports both.
   */
  message: OutgoingMessage;
  /**
   * Per-account idempotency key (EngageLab `request_id`, the `Idempotency-Key` header). The same
   * key with the same request answers the original `SentMessage` (with `replayed: true`) and
   * sends and charges nothing; the same key with a different request is `conflict`.
   */
  idempotencyKey: string | null;
  /** The key names this request only: the same key with a different request sends it as a new one (EngageLab `request_id`). */
  idempotencyPerRequest?: boolean;
  /** Send through the sandbox whatever WHATSAPP_UPSTREAM says (toKABOLA `server: "SANDBOX"`). */
  forceSandbox?: boolean;
  /** Opaque client data kept with the message and echoed in its callbacks (EngageLab `custom_args`). */
  clientData?: Record<string, unknown> | null;
  /**
   * Renames a canonical field path (`to`, `text.body`, `template.components[0]`) to the dialect's
   * own (`assistance.to`, `body.text.body`), so validation errors name what the client sent.
   */
  fieldName?: (canonicalPath: string) => string;
}

export interface SentMessage {
  /** Tuma's message id (EngageLab's `message_id`); stable across idempotent replays. */
  id: string;
  /** The upstream's id (`wamid.…`), what LAfricaMobile and toKABOLA report as the message id. */
  wamid: string;
  /** The recipient as the client wrote it (360dialog `contacts[].input`). */
  to: string;
  /** The recipient in digits-only international form (360dialog `contacts[].wa_id`). */
  waId: string;
  phoneNumberId: string;
  /** What the send cost, in the wallet's minor units; null when free (sandbox, service messages). */
  charge: { currency: Currency; amount: number } | null;
  /** True when this answer comes from an earlier request with the same idempotency key. */
  replayed: boolean;
}

export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";
export type TemplateStatus = "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "DELETED";

/** A template as Meta describes it (`components` in Meta's creation format, upper-case types). */
export interface TemplateRecord {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  components: unknown[];
}

export interface TemplateFilter {
  /** Substring match on the name. */
  name?: string;
  language?: string;
  category?: TemplateCategory;
  status?: TemplateStatus;
}

/**
 * Template management, per account (on the WABA of the account's numbers; the sandbox keeps its
 * own store and approves at once unless the components are invalid):
 *
 *   listTemplates(ctx, accountId, filter: TemplateFilter): Promise<Result<TemplateRecord[]>>
 *   getTemplate(ctx, accountId, templateId): Promise<Result<TemplateRecord>>
 *   createTemplate(ctx, accountId, input: NewTemplate): Promise<Result<TemplateRecord>>
 *   updateTemplate(ctx, accountId, templateId, changes: { category?; components? }): Promise<Result<TemplateRecord>>
 *   deleteTemplatesByName(ctx, accountId, name): Promise<Result<{ deleted: number }>>
 */
export interface NewTemplate {
  name: string;
  language: string;
  category: TemplateCategory;
  components: unknown[];
}
