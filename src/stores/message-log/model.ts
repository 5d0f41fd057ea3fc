import type { Currency } from "../../lib/money";
import type { MessageCategory } from "../money/prices";

/**
 * A number's message log, as one aggregate behind one interface: the messages its account sent
 * (with their statuses), what customers wrote to it, and the 24-hour window per customer. Core
 * reads and writes the log only through `MessageLog`; where it lives (D1 today, the number's
 * Deployment object next) is the implementation's business. Expected outcomes are closed unions,
 * never thrown strings.
 */
export type MessageStatus = "pending" | "accepted" | "sent" | "delivered" | "read" | "failed";
export type DeliveryStatus = "sent" | "delivered" | "read" | "failed";

/** The order a message's statuses move in (failed is terminal); every store applies statuses by it. */
export const STATUS_RANK: Record<MessageStatus, number> = { pending: 0, accepted: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

/** A `MessageRow`'s columns, in the order every store selects (and inserts) them. */
export const MESSAGE_COLUMNS =
  "id, account_id, phone_number_id, upstream, to_input, wa_id, type, category, wamid, status, error, hold_reference, charge_currency, charge_amount, client_data, campaign_id, created_at, updated_at";

export interface MessageRow {
  id: string;
  account_id: string;
  phone_number_id: string;
  upstream: "sandbox" | "meta";
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

export type NewMessage = Omit<MessageRow, "wamid" | "status" | "error" | "updated_at">;

/** How a send ended at the upstream: accepted with its wamid, or refused (error as stored JSON). */
export type SendOutcome = { wamid: string } | { error: string };

export interface StatusChange {
  /** The number that sent the message (the event's metadata.phone_number_id). */
  phoneNumberId: string;
  wamid: string;
  status: DeliveryStatus;
  /** JSON {code, title} of a failure. */
  error?: string;
  /** Meta's pricing object, kept as first reported. */
  pricing?: unknown;
  at: number;
  /** When Meta says it happened (the status's timestamp), for the timeline; `at` when unknown. */
  reportedAt?: number;
}

/** `recorded`: the message as it now is (moved, or unchanged by a late or repeated status); `not_found`: no send has this wamid (yet). */
type StatusResult = { kind: "recorded"; message: MessageRow } | { kind: "not_found" };

/**
 * `settled`: the pending message took the outcome; `mayHaveEarlyStatuses`: statuses Meta posted
 * before it may be waiting for it (a store that keeps them says whether it applied any);
 * `not_pending`: it was already settled (or gone).
 */
type SettleResult = { kind: "settled"; mayHaveEarlyStatuses: boolean } | { kind: "not_pending" };

export interface InboundRecord {
  wamid: string;
  account_id: string;
  phone_number_id: string;
  from_wa_id: string;
  profile_name: string | null;
  type: string;
  /** JSON: Meta's message object as received. */
  content: string;
  media_id: string | null;
  sent_at: number;
  received_at: number;
}

type Direction = "outbound" | "inbound";

export interface LogEntry {
  direction: Direction;
  id: string;
  wamid: string | null;
  phone_number_id: string;
  /** The customer: the recipient of an outbound message, the sender of an inbound one. */
  wa_id: string;
  /** The recipient as the client wrote it (outbound). */
  to_input: string | null;
  type: string;
  status: MessageStatus | null;
  error: string | null;
  charge_currency: string | null;
  charge_amount: number | null;
  /** Meta's message object as received (inbound). */
  content: string | null;
  at: number;
}

export interface LogFilter {
  phoneNumberId?: string;
  waId?: string;
  status?: MessageStatus;
  direction?: Direction;
  since?: number;
  until?: number;
  before?: { at: number; id: string };
  limit: number;
}

export interface TimelineStep {
  status: string;
  at: number;
  error: unknown;
}

export interface LogDetail extends LogEntry {
  timeline: TimelineStep[];
  pricing: string | null;
  client_data: string | null;
  updated_at: number;
}

/** How a campaign's messages stand in the log: delivered (or read since), read, and failed after the upstream accepted them. */
export interface CampaignStatusCounts {
  delivered: number;
  read: number;
  failedAfterAccepted: number;
}

/** When a customer last wrote to one of the account's numbers. */
interface LastInbound {
  phone_number_id: string;
  last_inbound_at: number;
}

export interface MessageLog {
  /** Writes a send `pending` (before the upstream call), or already settled (a local upstream, a campaign's answered sends). */
  recordSends(sends: { message: NewMessage; outcome?: SendOutcome }[]): Promise<void>;
  /**
   * Records sends, then runs `writes`, the D1 writes that must follow them (a campaign group's
   * recipients and holds), given the statements to put first in its batch: the D1 store's own
   * inserts, so both go in one round trip; none from a store elsewhere, which records first.
   */
  recordSendsThen<T>(sends: { message: NewMessage; outcome?: SendOutcome }[], writes: (leading: D1PreparedStatement[]) => Promise<T>): Promise<T>;
  /** The upstream answered a pending send. */
  settleSend(phoneNumberId: string, id: string, outcome: SendOutcome, at: number): Promise<SettleResult>;
  /**
   * Applies one status: it only moves a message forward (accepted < sent < delivered < read;
   * failed is terminal and may follow accepted or sent). Pricing is kept as first reported.
   */
  applyStatus(change: StatusChange): Promise<StatusResult>;
  byWamid(phoneNumberId: string, wamid: string): Promise<MessageRow | null>;
  /** The number's messages with these wamids (those it has). */
  byWamids(phoneNumberId: string, wamids: string[]): Promise<MessageRow[]>;
  /** One of the account's messages by Tuma's id. */
  byId(accountId: string, id: string): Promise<MessageRow | null>;
  /** Fails sends still pending since before `before` (interrupted), every number's; answers them, at most `limit`. */
  failStale(before: number, error: string, at: number, limit: number): Promise<MessageRow[]>;
  /** The account's sends, oldest first (at most `limit`). */
  sends(accountId: string, limit: number): Promise<MessageRow[]>;
  /** The statuses of the messages a campaign sent (all from its one number). */
  campaignCounts(phoneNumberId: string, campaignId: string): Promise<CampaignStatusCounts>;
  /** Whether the account has sent from this number to this customer. */
  hasSentTo(accountId: string, phoneNumberId: string, waId: string): Promise<boolean>;

  /** A customer's message (once per wamid); opens (or extends) the customer's window with the number. */
  recordInbound(message: InboundRecord): Promise<void>;
  /** Of these customers, those who wrote to the number after `since` (one read for a campaign's group). */
  wroteSince(phoneNumberId: string, waIds: string[], since: number): Promise<string[]>;
  /** The latest inbound message of a customer to each of the account's numbers (or to one). */
  lastInbound(accountId: string, waId: string, phoneNumberId?: string): Promise<LastInbound[]>;
  /** The latest inbound message of the account that carried this media id. */
  inboundWithMedia(accountId: string, mediaId: string): Promise<Pick<InboundRecord, "phone_number_id" | "type" | "content" | "received_at"> | null>;

  /** The account's log, newest first, by (time, id) cursor. */
  list(accountId: string, filter: LogFilter): Promise<LogEntry[]>;
  /** One entry of the account, by Tuma's id (`msg_…`) or Meta's wamid, with its timeline. */
  detail(accountId: string, id: string): Promise<LogDetail | null>;
}
