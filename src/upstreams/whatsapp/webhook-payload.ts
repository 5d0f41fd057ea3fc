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
  /** Why the event cannot be processed (a field of the wrong type); it is kept, never processed. */
  invalid?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

type Check = [field: string, type: "string" | "number" | "boolean" | "object" | "array", required?: boolean];

/** The first field of `item` whose type is wrong, as a reason; null when every field has its type. */
function typeProblem(what: string, item: Record<string, unknown>, checks: Check[]): string | null {
  for (const [field, type, required] of checks) {
    const value = field.split(".").reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), item);
    if (value === undefined) {
      if (required) return `${what}.${field} is missing`;
      continue;
    }
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    if (actual !== type) return `${what}.${field} must be a ${type}, not ${actual}`;
  }
  return null;
}

/** Meta's message types whose content sits under the type's name (reference §6.5), and its JSON type there. */
const CONTENT_TYPES: Record<string, "object" | "array"> = {
  text: "object", image: "object", video: "object", audio: "object", document: "object", sticker: "object", location: "object",
  contacts: "array", interactive: "object", button: "object", reaction: "object", order: "object", system: "object", referral: "object",
};

function messageProblem(m: Record<string, unknown>, contact: MetaContact | undefined): string | null {
  const base = typeProblem("message", m, [["from", "string", true], ["type", "string", true], ["timestamp", "string"], ["context", "object"], ["errors", "array"]]);
  if (base) return base;
  const content = CONTENT_TYPES[m.type as string];
  const own = content ? typeProblem("message", m, [[m.type as string, content]]) : null;
  return own ?? (contact ? typeProblem("contact", contact as Record<string, unknown>, [["wa_id", "string"], ["profile", "object"], ["profile.name", "string"]]) : null);
}

function statusProblem(s: Record<string, unknown>): string | null {
  const base = typeProblem("status", s, [["timestamp", "string"], ["recipient_id", "string"], ["pricing", "object"], ["errors", "array"]]);
  return base ?? (Array.isArray(s.errors) ? errorsProblem("status.errors", s.errors) : null);
}

function errorsProblem(what: string, errors: unknown[]): string | null {
  for (const e of errors) {
    if (!isObject(e)) return `${what} must hold objects`;
    const problem = typeProblem(what, e, [["code", "number", true], ["title", "string"], ["message", "string"], ["error_data", "object"], ["error_data.details", "string"]]);
    if (problem) return problem;
  }
  return null;
}

const withProblem = (event: ExtractedEvent, problem: string | null): ExtractedEvent => (problem ? { ...event, invalid: problem } : event);

/**
 * The events of a payload, in order. Items without the fields their key needs are skipped (they
 * stay in the stored payload); `errors` not tied to a message are keyed by their content. Every
 * other field the gateway reads is checked for its type here, so an event that would fail every
 * time it is processed is marked `invalid` (with its reason) instead.
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
      const metaProblem = typeProblem("metadata", value.metadata, [["display_phone_number", "string"]]);
      const base = { metadata, ...(typeof entry.id === "string" ? { waba_id: entry.id } : {}) };
      const contacts = list(value.contacts) as MetaContact[];
      for (const m of list(value.messages) as unknown as MetaInboundMessage[]) {
        if (typeof m.id !== "string") continue;
        const contact = contacts.find((c) => c.wa_id === m.from) ?? contacts[0];
        const event: ExtractedEvent = { key: `message:${m.id}`, kind: "message", phoneNumberId: metadata.phone_number_id, body: { ...base, ...(contact ? { contact } : {}), item: m } };
        events.push(withProblem(event, metaProblem ?? messageProblem(m, contact)));
      }
      for (const s of list(value.statuses) as unknown as MetaStatus[]) {
        if (typeof s.id !== "string" || typeof s.status !== "string") continue;
        const event: ExtractedEvent = { key: `status:${s.id}:${s.status}`, kind: "status", phoneNumberId: metadata.phone_number_id, body: { ...base, item: s } };
        events.push(withProblem(event, metaProblem ?? statusProblem(s)));
      }
      for (const e of list(value.errors) as unknown as MetaError[]) {
        const event: ExtractedEvent = { key: `error:${metadata.phone_number_id}:${(await sha256Hex(JSON.stringify(e))).slice(0, 32)}`, kind: "error", phoneNumberId: metadata.phone_number_id, body: { ...base, item: e } };
        events.push(withProblem(event, metaProblem ?? errorsProblem("error", [e])));
      }
    }
  }
  return events;
}
