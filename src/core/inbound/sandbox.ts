import { fail, ok, type Result } from "../../lib/errors";
import { sandboxWamid } from "../../upstreams/whatsapp/sandbox";
import type { CoreContext } from "../../config/context";
import { SANDBOX_SENDER_ID } from "../messages/sender";
import { messageLog } from "../messages/store";
import { SANDBOX_WABA_ID } from "../numbers/waba";
import { intakeSandboxStatusPayload, intakeSignedSandboxPayload, signMetaPayload, type IntakeOutcome } from "./intake";
import type { MetaError, MetaInboundMessage, MetaStatus } from "../../upstreams/whatsapp/webhook-payload";

/**
 * The sandbox plays Meta: its delivery statuses and its simulated customers are Meta-shaped
 * payloads, signed with the app secret and handed to the same intake as Meta's real webhooks.
 */
interface NumberInfo {
  phone_number_id: string;
  display_phone_number: string;
  waba_id: string;
}

async function numberInfo(ctx: CoreContext, phoneNumberId: string): Promise<NumberInfo> {
  const row = await ctx.db
    .prepare("SELECT cc || number AS display, waba_id FROM deployments WHERE phone_number_id = ? AND state != 'DELETED'")
    .bind(phoneNumberId)
    .first<{ display: string; waba_id: string | null }>();
  return { phone_number_id: phoneNumberId, display_phone_number: row?.display ?? phoneNumberId, waba_id: row?.waba_id ?? SANDBOX_WABA_ID };
}

function envelope(n: NumberInfo, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: n.waba_id, changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: n.display_phone_number, phone_number_id: n.phone_number_id }, ...value } }] }],
  };
}

/**
 * The sandbox's statuses take the path of Meta's: signed with the app secret, verified, queued as
 * one payload, then stored and processed in batches per number by the INBOUND consumer (a
 * campaign's group of statuses is one payload, not one queue message per status).
 */
export async function intakeSandboxStatuses(ctx: CoreContext, payload: unknown): Promise<void> {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  const queued = await intakeSandboxStatusPayload(ctx, raw, await signMetaPayload(ctx.config, raw));
  if (!queued.ok) throw queued.error;
}

/** Signs a payload the way Meta does and hands it to the intake; `accountId` routes its events to that account. */
async function intakeSandboxPayload(ctx: CoreContext, payload: unknown, accountId?: string): Promise<Result<IntakeOutcome>> {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  return intakeSignedSandboxPayload(ctx, raw, await signMetaPayload(ctx.config, raw), accountId ?? null);
}

const STATUSES_PER_PAYLOAD = 100;

/**
 * Meta status payloads for messages the number's sandbox accepted, one per sending number (and hundred)
 * (pricing on `sent`, as Meta does); `unknown`: the wamids no message of the number has.
 */
export async function sandboxStatusPayloads(
  ctx: CoreContext,
  phoneNumberId: string,
  items: { wamid: string; status: string; error?: MetaError }[],
): Promise<{ payloads: unknown[]; unknown: string[] }> {
  if (!items.length) return { payloads: [], unknown: [] };
  const results = await messageLog(ctx).byWamids(phoneNumberId, items.map((i) => i.wamid));
  const messages = new Map(results.map((m) => [m.wamid, m]));
  const byNumber = new Map<string, MetaStatus[]>();
  const timestamp = String(Math.floor(ctx.clock.now() / 1000));
  for (const { wamid, status, error } of items) {
    const message = messages.get(wamid);
    if (!message) continue;
    const item: MetaStatus = { id: wamid, status, timestamp, recipient_id: message.wa_id };
    if (status === "sent") item.pricing = { billable: message.category !== "service", pricing_model: "PMP", type: message.category === "service" ? "free_customer_service" : "regular", category: message.category };
    if (error) item.errors = [error];
    byNumber.set(message.phone_number_id, [...(byNumber.get(message.phone_number_id) ?? []), item]);
  }
  const payloads: unknown[] = [];
  for (const [sender, statuses] of byNumber) {
    const number = await numberInfo(ctx, sender);
    // Well under a queue message's 128 KB, as Meta's own payloads mostly are.
    for (let i = 0; i < statuses.length; i += STATUSES_PER_PAYLOAD) payloads.push(envelope(number, { statuses: statuses.slice(i, i + STATUSES_PER_PAYLOAD) }));
  }
  return { payloads, unknown: items.filter((i) => !messages.has(i.wamid)).map((i) => i.wamid) };
}

export interface SimulatedInbound {
  phoneNumberId: string;
  from: string;
  name: string | null;
  /** Meta's type and its object, e.g. `text` + `{body}`; media objects get an id when they have none. */
  type: string;
  content: unknown;
  /** The wamid of the business message this replies to. */
  contextId?: string;
}

/** Whether the account has written to this customer from the shared sandbox sender. */
function wroteFromSharedSender(ctx: CoreContext, accountId: string, customer: string): Promise<boolean> {
  return messageLog(ctx).hasSentTo(accountId, SANDBOX_SENDER_ID, customer);
}

/**
 * A customer writes to one of the account's sandbox numbers, or to the shared sandbox sender as
 * a customer this account has written to from it. Either way the event reaches only the calling
 * account: the shared sender's event is stored already routed to it, so it can never land in the
 * webhooks of another account that wrote to the same customer.
 */
export async function simulateInbound(ctx: CoreContext, accountId: string, input: SimulatedInbound): Promise<Result<{ wamid: string; events: number }>> {
  if (input.phoneNumberId === SANDBOX_SENDER_ID) {
    if (!(await wroteFromSharedSender(ctx, accountId, input.from))) {
      return fail("not_found", `This account has not written to ${input.from} from the shared sandbox sender`);
    }
  } else {
    const number = await ctx.db
      .prepare("SELECT upstream FROM deployments WHERE account_id = ? AND phone_number_id = ? AND state != 'DELETED'")
      .bind(accountId, input.phoneNumberId)
      .first<{ upstream: string | null }>();
    if (!number) return fail("not_found", `No number with phone_number_id ${input.phoneNumberId} in this account`);
    if ((number.upstream ?? ctx.config.WHATSAPP_UPSTREAM) !== "sandbox") return fail("forbidden", "Only sandbox numbers take simulated customer messages");
  }
  const wamid = sandboxWamid(input.from);
  const content = withMediaId(input.type, input.content);
  const message: MetaInboundMessage = {
    from: input.from,
    id: wamid,
    timestamp: String(Math.floor(ctx.clock.now() / 1000)),
    type: input.type,
    ...(input.type === "contacts" ? { contacts: content } : { [input.type]: content }),
    ...(input.contextId ? { context: { from: input.phoneNumberId, id: input.contextId } } : {}),
  };
  const contacts = input.type === "system" ? {} : { contacts: [{ profile: { name: input.name ?? "Client Sandbox" }, wa_id: input.from }] };
  const payload = envelope(await numberInfo(ctx, input.phoneNumberId), { ...contacts, messages: [message] });
  const stored = await intakeSandboxPayload(ctx, payload, accountId);
  if (!stored.ok) return stored;
  return ok({ wamid, events: stored.value.events });
}

const MEDIA_TYPES: Record<string, string> = { image: "image/jpeg", video: "video/mp4", audio: "audio/ogg", document: "application/pdf", sticker: "image/webp" };

/** A sandbox media id: digits, like Meta's; GET /api/v1/media/{id} serves a small generated file for it. */
function withMediaId(type: string, content: unknown): unknown {
  const mime = MEDIA_TYPES[type];
  if (!mime || typeof content !== "object" || content === null) return content;
  const media = content as Record<string, unknown>;
  const digits = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => String(b % 10)).join("");
  return { mime_type: mime, sha256: "c2FuZGJveA==", ...media, id: typeof media.id === "string" ? media.id : `9${digits}` };
}
