import type { EventBody, MetaError, MetaInboundMessage, MetaStatus } from "../../upstreams/whatsapp/webhook-payload";

/**
 * The canonical event every client webhook is made from (each dialect's format, in
 * src/dialects/<name>/webhook-format.ts, sends it as is or builds its own shape from it).
 * Frozen into the delivery at fan-out, so every attempt sends the same thing.
 */
type EventType = "message.received" | "message.status" | "number.error" | "template.status" | "campaign.completed";

interface InboundEventMessage {
  /** The customer's message id (wamid). */
  id: string;
  from: string;
  profile_name: string | null;
  type: string;
  /** Meta's timestamp, ms. */
  timestamp: number;
  /** Meta's message object as received (text{body}, image{id, mime_type, caption}, button{payload, text}, …). */
  content: MetaInboundMessage;
}

interface StatusEventBody {
  /** Tuma's message id; null when the wamid was not sent through Tuma. */
  message_id: string | null;
  /** The campaign that sent it (what a campaign's creation answered); null for a single send. */
  campaign_id: string | null;
  wamid: string;
  /** Meta's status: sent, delivered, read, failed, played. */
  status: string;
  recipient: string | null;
  /** The recipient as the client wrote it in the send (`+243 81…`); null when not sent through Tuma. */
  recipient_input: string | null;
  timestamp: number;
  error: { code: number; title: string | null; message: string | null; details: string | null } | null;
  pricing: Record<string, unknown> | null;
  /** Meta's conversation (`{id, origin: {type}, expiration_timestamp?}`), when Meta sends one. */
  conversation: Record<string, unknown> | null;
  /** What the client attached to the send (EngageLab custom_args), echoed. */
  client_data: Record<string, unknown> | null;
}

/** A template review Meta reported (approved, rejected, paused…), for the account that made the template. */
interface TemplateEventBody {
  /** Meta's template id (what the template routes answer as its id). */
  id: string;
  /** The account's own name for it (without the shared WABA's prefix). */
  name: string;
  language: string;
  /** Meta's event: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, FLAGGED, REINSTATED, PENDING_DELETION… */
  event: string;
  /** The template's status at Tuma after the event. */
  status: string;
  reason: string | null;
}

/** A campaign that ended (done: nobody left to send to; or cancelled), with its counts at that moment. */
interface CampaignEventBody {
  id: string;
  state: "done" | "cancelled";
  type: string;
  template: { name: string; language: string } | null;
  total: number;
  /** Delivered and read keep moving after the end as Meta reports them (GET /api/v1/campaigns/{id}). */
  counts: { sent: number; delivered: number; read: number; failed: number; refused: number; cancelled: number };
  /** What the campaign cost: messages accepted and not refunded × the price; null when free. */
  charge: { amount: string; currency: string } | null;
  /** The client's metadata given at creation. */
  client_data: Record<string, unknown> | null;
}

export interface CanonicalEvent {
  id: string;
  type: EventType;
  /** When Tuma received it, ms. */
  created_at: number;
  phone_number_id: string;
  display_phone_number: string | null;
  waba_id: string | null;
  message?: InboundEventMessage;
  status?: StatusEventBody;
  error?: MetaError;
  template?: TemplateEventBody;
  campaign?: CampaignEventBody;
}

const ms = (seconds: string | undefined, fallback: number) => {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback;
};

function envelope(id: string, type: EventType, body: EventBody, createdAt: number): CanonicalEvent {
  return {
    id,
    type,
    created_at: createdAt,
    phone_number_id: body.metadata.phone_number_id,
    display_phone_number: body.metadata.display_phone_number ?? null,
    waba_id: body.waba_id ?? null,
  };
}

export function messageEvent(id: string, body: EventBody, createdAt: number): CanonicalEvent {
  const m = body.item as MetaInboundMessage;
  return {
    ...envelope(id, "message.received", body, createdAt),
    message: { id: m.id, from: m.from, profile_name: body.contact?.profile?.name ?? null, type: m.type, timestamp: ms(m.timestamp, createdAt), content: m },
  };
}

export function statusEvent(id: string, body: EventBody, createdAt: number, sent: { id: string; client_data: string | null; to_input: string; campaign_id: string | null } | null): CanonicalEvent {
  const s = body.item as MetaStatus;
  const e = s.errors?.[0];
  return {
    ...envelope(id, "message.status", body, createdAt),
    status: {
      message_id: sent?.id ?? null,
      campaign_id: sent?.campaign_id ?? null,
      wamid: s.id,
      status: s.status,
      recipient: s.recipient_id ?? null,
      recipient_input: sent?.to_input ?? null,
      timestamp: ms(s.timestamp, createdAt),
      error: e ? { code: e.code, title: e.title ?? null, message: e.message ?? null, details: e.error_data?.details ?? null } : null,
      pricing: s.pricing ?? null,
      conversation: isObject(s.conversation) ? s.conversation : null,
      client_data: sent?.client_data ? (JSON.parse(sent.client_data) as Record<string, unknown>) : null,
    },
  };
}

/** Not a number's event: `phone_number_id` is empty, so only the account's endpoints for every number receive it. */
export function templateStatusEvent(id: string, createdAt: number, wabaId: string, template: TemplateEventBody): CanonicalEvent {
  return { id, type: "template.status", created_at: createdAt, phone_number_id: "", display_phone_number: null, waba_id: wabaId, template };
}

/** The campaign's number is the event's, so that number's endpoints and the account's take it. */
export function campaignCompletedEvent(id: string, createdAt: number, phoneNumberId: string, campaign: CampaignEventBody): CanonicalEvent {
  return { id, type: "campaign.completed", created_at: createdAt, phone_number_id: phoneNumberId, display_phone_number: null, waba_id: null, campaign };
}

export function errorEvent(id: string, body: EventBody, createdAt: number): CanonicalEvent {
  return { ...envelope(id, "number.error", body, createdAt), error: body.item as MetaError };
}

/** The media object of a media message (image, video, audio, document, sticker), if any. */
export function mediaOf(m: MetaInboundMessage): { id: string; mime_type?: string; caption?: string; filename?: string; sha256?: string } | null {
  const media = m[m.type] as { id?: unknown } | undefined;
  return ["image", "video", "audio", "document", "sticker"].includes(m.type) && media && typeof media.id === "string"
    ? (media as { id: string })
    : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
