import { sha256Hex } from "../../lib/crypto";

/**
 * Meta's webhook payload (reference §6.4–6.6), read loosely: the gateway keeps whatever Meta
 * sends and only needs the routing fields. Each message, status and error becomes one event
 * with the key Meta's duplicates share.
 */
interface MetaMetadata {
  display_phone_number?: string;
  phone_number_id: string;
}

interface MetaContact {
  profile?: { name?: string };
  wa_id?: string;
}

export interface MetaInboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  [field: string]: unknown;
}

export interface MetaStatus {
  id: string;
  status: string;
  timestamp: string;
  recipient_id?: string;
  pricing?: Record<string, unknown>;
  errors?: MetaError[];
  [field: string]: unknown;
}

export interface MetaError {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  [field: string]: unknown;
}

export type EventKind = "message" | "status" | "error";

/** What one event row keeps: the change's metadata, the sender's contact card, and the item. */
export interface EventBody {
  metadata: MetaMetadata;
  waba_id?: string;
  contact?: MetaContact;
  item: MetaInboundMessage | MetaStatus | MetaError;
}

export interface ExtractedEvent {
  key: string;
  kind: EventKind;
  phoneNumberId: string;
  body: EventBody;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

/**
 * The events of a payload, in order. Items without the fields their key needs are skipped (they
 * stay in the stored payload); `errors` not tied to a message are keyed by their content.
 */
export async function extractEvents(payload: unknown): Promise<ExtractedEvent[]> {
  const events: ExtractedEvent[] = [];
  if (!isObject(payload)) return events;
  for (const entry of list(payload.entry)) {
    for (const change of list(entry.changes)) {
      const value = change.value;
      if (change.field !== "messages" || !isObject(value) || !isObject(value.metadata)) continue;
      const metadata = value.metadata as unknown as MetaMetadata;
      if (typeof metadata.phone_number_id !== "string") continue;
      const base = { metadata, ...(typeof entry.id === "string" ? { waba_id: entry.id } : {}) };
      const contacts = list(value.contacts) as MetaContact[];
      for (const m of list(value.messages) as unknown as MetaInboundMessage[]) {
        if (typeof m.id !== "string" || typeof m.from !== "string") continue;
        const contact = contacts.find((c) => c.wa_id === m.from) ?? contacts[0];
        events.push({ key: `message:${m.id}`, kind: "message", phoneNumberId: metadata.phone_number_id, body: { ...base, ...(contact ? { contact } : {}), item: m } });
      }
      for (const s of list(value.statuses) as unknown as MetaStatus[]) {
        if (typeof s.id !== "string" || typeof s.status !== "string") continue;
        events.push({ key: `status:${s.id}:${s.status}`, kind: "status", phoneNumberId: metadata.phone_number_id, body: { ...base, item: s } });
      }
      for (const e of list(value.errors) as unknown as MetaError[]) {
        events.push({ key: `error:${metadata.phone_number_id}:${(await sha256Hex(JSON.stringify(e))).slice(0, 32)}`, kind: "error", phoneNumberId: metadata.phone_number_id, body: { ...base, item: e } });
      }
    }
  }
  return events;
}
