import * as z from "zod";
import { languageCode, templateName } from "../../../core/messages/canonical";
import type { SendInput, SentMessage } from "../../../core/messages/contract";
import { createCampaign } from "../../../core/campaigns/create";
import { templateCampaignMessage } from "../../../core/campaigns/message";
import { MAX_RECIPIENTS } from "../../../core/campaigns/model";
import { sendMessage } from "../../../core/messages/send";
import { AppError, unwrap } from "../../../lib/errors";
import { formatAmount } from "../../../lib/money";
import { withKind } from "../../../lib/validation";
import type { RequestContext } from "../../dialect";
import { defineAction, type TokabolaSuccess } from "../action";

/**
 * toKABOLA's sends: `assistance` (text and media), `auth` (OTP through the authentication
 * template), `marketing` and `utility` (a template with body parameters). Each builds Meta's
 * message object and calls the one pipeline; errors name toKABOLA's own fields.
 */

const recipient = z.union([z.string().trim().min(1, "is required").max(32), z.number().int().positive().transform(String)], "must be a phone number");
const phoneNumberId = z.union([z.string().trim().regex(/^\d{5,20}$/, "must be a numeric id"), z.number().int().positive()]).transform(String);
const server = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.enum(["SANDBOX", "LIVE"], "must be SANDBOX (or LIVE, the default)"));
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], "must be true or false");

const common = { to: recipient, server: server.optional(), phone_number_id: phoneNumberId.optional() };

const SentSchema = z.object({
  message_id: z.string().describe("WhatsApp's id (wamid.…)"),
  id: z.string().describe("Tuma's message id"),
  to: z.string(),
  wa_id: z.string(),
  phone_number_id: z.string(),
  status: z.literal("accepted"),
  charge: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  replayed: z.boolean(),
});

/** toKABOLA fields for the canonical paths a send can get wrong. */
function fieldNamer(action: string, media?: string): (path: string) => string {
  return (path) => {
    const [head, tail] = [path.split(".")[0]!.replace(/\[\d+\]$/, ""), path.split(".").slice(1).join(".")];
    if (head === "to" || head === "phone_number_id") return `${action}.${head}`;
    if (head === "type") return `${action}.method`;
    if (head === "text") return tail === "preview_url" ? `${action}.preview_url` : `${action}.body`;
    if (head === "template") return path.startsWith("template.name") ? `${action}.name` : path.startsWith("template.language") ? `${action}.language` : `${action}.parameters`;
    if (tail === "caption" || tail === "filename") return `${action}.${tail}`;
    return `${action}.${media ?? head}`;
  };
}

/** The `Idempotency-Key` header: up to 255 visible ASCII characters. */
function idempotencyKey(request: Request): string | null {
  const key = request.headers.get("Idempotency-Key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError("invalid_request", "Invalid Idempotency-Key", { issues: [{ field: "Idempotency-Key", kind: "invalid_format", reason: "must be 1 to 255 visible ASCII characters" }] });
  }
  return key;
}

async function send(rc: RequestContext, request: Request, accountId: string, action: string, body: { server?: string; phone_number_id?: string }, message: SendInput["message"], media?: string): Promise<TokabolaSuccess> {
  const sent = unwrap(
    await sendMessage(rc.core, {
      accountId,
      phoneNumberId: body.phone_number_id ?? null,
      message,
      idempotencyKey: idempotencyKey(request),
      forceSandbox: body.server === "SANDBOX",
      fieldName: fieldNamer(action, media),
    }),
  );
  return { message: sent.replayed ? "Message déjà envoyé (même Idempotency-Key) : voici la réponse d'origine." : "Message envoyé.", data: sentData(sent) };
}

const sentData = (sent: SentMessage) => ({
  message_id: sent.wamid,
  id: sent.id,
  to: sent.to,
  wa_id: sent.waId,
  phone_number_id: sent.phoneNumberId,
  status: "accepted",
  charge: sent.charge ? { amount: formatAmount(sent.charge.amount, sent.charge.currency), currency: sent.charge.currency } : null,
  replayed: sent.replayed,
});

const envelope = { messaging_product: "whatsapp", recipient_type: "individual" } as const;

/** Each media method, its URL field and Meta's type. */
const MEDIA = {
  image: { url: "image_url", type: "image" },
  video: { url: "video_url", type: "video" },
  audio: { url: "audio_url", type: "audio" },
  docs: { url: "doc_url", type: "document" },
  document: { url: "doc_url", type: "document" },
} as const;

export const assistance = defineAction({
  type: "assistance",
  summary: "Send a text (method text) or a media by URL (image, video, audio, docs/document) inside the 24-hour window; server SANDBOX sends through the sandbox",
  auth: true,
  body: () =>
    z.object({
      type: z.literal("assistance"),
      assistance: z
        .strictObject({
          ...common,
          method: z.enum(["text", "image", "video", "audio", "docs", "document"], "must be one of text, image, video, audio, docs, document"),
          preview_url: flag.optional(),
          body: z.string().optional(),
          image_url: z.string().optional(),
          video_url: z.string().optional(),
          audio_url: z.string().optional(),
          doc_url: z.string().optional(),
          caption: z.string().optional(),
          filename: z.string().optional(),
        })
        .superRefine((a, ctx) => {
          const needed = a.method === "text" ? "body" : MEDIA[a.method].url;
          if (a[needed] === undefined) ctx.addIssue({ code: "custom", path: [needed], message: `is required with method ${a.method}`, params: withKind("required") });
          if (a.caption !== undefined && (a.method === "text" || a.method === "audio")) ctx.addIssue({ code: "custom", path: ["caption"], message: `is not allowed with method ${a.method}`, params: withKind("unexpected_field") });
          if (a.filename !== undefined && MEDIA[a.method as keyof typeof MEDIA]?.type !== "document") ctx.addIssue({ code: "custom", path: ["filename"], message: "is only for documents", params: withKind("unexpected_field") });
        }),
    }),
  data: SentSchema,
  async run(rc, { assistance: a }, accountId, request) {
    if (a.method === "text") {
      const message = { ...envelope, to: a.to, type: "text", text: { body: a.body!, ...(a.preview_url !== undefined ? { preview_url: a.preview_url } : {}) } };
      return send(rc, request, accountId!, "assistance", a, message as SendInput["message"]);
    }
    const { url, type } = MEDIA[a.method];
    const object = { link: a[url], ...(a.caption !== undefined ? { caption: a.caption } : {}), ...(a.filename !== undefined ? { filename: a.filename } : {}) };
    return send(rc, request, accountId!, "assistance", a, { ...envelope, to: a.to, type, [type]: object } as SendInput["message"], url);
  },
});

export const auth = defineAction({
  type: "auth",
  summary: "Send a one-time code with the authentication template (copy-code button); paid as an authentication message",
  auth: true,
  body: () =>
    z.object({
      type: z.literal("auth"),
      auth: z.strictObject({
        ...common,
        method: z.literal("otp", "must be otp"),
        otp_code: z.union([z.string().trim(), z.number().int().nonnegative().transform(String)]).pipe(z.string().regex(/^[A-Za-z0-9]{4,15}$/, "must be 4 to 15 letters or digits")),
        language: z.string().trim().pipe(languageCode).default("fr"),
      }),
    }),
  data: SentSchema,
  async run(rc, { auth: a }, accountId, request) {
    const code = [{ type: "text", text: a.otp_code }];
    const message = {
      ...envelope,
      to: a.to,
      type: "template",
      template: {
        name: rc.core.config.OTP_TEMPLATE_NAME,
        language: { code: a.language },
        components: [
          { type: "body", parameters: code },
          { type: "button", sub_type: "url", index: "0", parameters: code },
        ],
      },
    };
    return send(rc, request, accountId!, "auth", a, message as SendInput["message"]);
  },
});

/**
 * `marketing` and `utility`: a template by name with its body parameters. One recipient is sent
 * at once; an array of several becomes a campaign, answered at once with its id (progress:
 * `GET /api/v1/campaigns/{id}` with the same token).
 */
const templateAction = (type: "marketing" | "utility", summary: string) =>
  defineAction({
    type,
    summary,
    auth: true,
    body: () =>
      z.object({
        type: z.literal(type),
        [type]: z.strictObject({
          ...common,
          to: z.union([recipient, z.array(recipient).min(1, "must name a recipient").max(MAX_RECIPIENTS, `must name at most ${MAX_RECIPIENTS} recipients`)]),
          name: templateName,
          language: z.string().trim().pipe(languageCode),
          parameters: z.array(z.union([z.string().min(1), z.number().transform(String)])).max(100).default([]),
        }),
      }) as unknown as z.ZodType<{ type: string } & Record<typeof type, { to: string | string[]; name: string; language: string; parameters: string[]; server?: string; phone_number_id?: string }>>,
    data: z.union([SentSchema, CampaignSchema]),
    async run(rc, body, accountId, request) {
      const t = body[type];
      if (Array.isArray(t.to) && t.to.length > 1) return campaign(rc, request, accountId!, type, t as typeof t & { to: string[] });
      const to = Array.isArray(t.to) ? t.to[0]! : t.to;
      const components = t.parameters.length ? [{ type: "body", parameters: t.parameters.map((text) => ({ type: "text", text })) }] : [];
      const message = { ...envelope, to, type: "template", template: { name: t.name, language: { code: t.language }, components } };
      return send(rc, request, accountId!, type, t, message as SendInput["message"]);
    },
  });

const CampaignSchema = z.object({
  campaign_id: z.string().describe("Follow it with GET /api/v1/campaigns/{id}"),
  status: z.enum(["scheduled", "running", "paused", "cancelled", "done"]),
  total: z.number().int().describe("Recipients, each person once"),
  duplicates: z.number().int(),
  charge: z.object({ amount: z.string(), currency: z.string() }).nullable().describe("Held per message, charged when sent"),
  replayed: z.boolean(),
});

/** Several recipients: a campaign (src/core/campaigns), paced at the number's throughput. */
async function campaign(rc: RequestContext, request: Request, accountId: string, action: string, t: { to: string[]; name: string; language: string; parameters: string[]; server?: string; phone_number_id?: string }): Promise<TokabolaSuccess> {
  const created = unwrap(
    await createCampaign(rc.core, {
      accountId,
      phoneNumberId: t.phone_number_id ?? null,
      message: templateCampaignMessage(t.name, t.language),
      recipients: t.to.map((to) => ({ to, parameters: t.parameters })),
      requestKey: request.headers.get("Idempotency-Key"),
      forceSandbox: t.server === "SANDBOX",
      fieldName: (path, index) => (path === "to" && index !== undefined ? `${action}.to[${index}]` : fieldNamer(action)(path === "parameters" ? "template.components" : path)),
    }),
  );
  const c = created.campaign;
  return {
    status: created.replayed ? 200 : 202,
    message: created.replayed ? "Campagne déjà créée (même Idempotency-Key) : la voici." : `Campagne créée : ${c.total} destinataire(s), envoi en cours au rythme du numéro.`,
    data: {
      campaign_id: c.id,
      status: c.state,
      total: c.total,
      duplicates: created.duplicates,
      charge: c.charge ? { amount: formatAmount(c.charge.amount, c.charge.currency), currency: c.charge.currency } : null,
      replayed: created.replayed,
    },
  };
}

export const marketing = templateAction("marketing", "Send an approved MARKETING template by name, language and body parameters; an array of several recipients becomes a campaign");
export const utility = templateAction("utility", "Send an approved UTILITY template by name, language and body parameters; an array of several recipients becomes a campaign");
