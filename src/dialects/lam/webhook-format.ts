import { postJson, type Formatter, type WebhookFormat } from "../../core/client-webhooks/format";
import { cloudApiFormat } from "../cloud-api/webhook-format";

/**
 * LAfricaMobile = 360dialog On-Premise (reference §2.4): top-level `contacts` + `messages` for
 * inbound, `statuses` for delivery statuses, `errors` for number-level errors; timestamps are
 * unix seconds as strings. Sent with the headers configured through /lam/configs/webhook.
 */
export const lamFormat: Formatter = (event, target) => {
  if (event.message) {
    const { content, from, profile_name } = event.message;
    return postJson(target, { contacts: [{ profile: { name: profile_name ?? "" }, wa_id: from }], messages: [content] });
  }
  if (event.status) {
    const s = event.status;
    const status = {
      id: s.wamid,
      recipient_id: s.recipient ?? "",
      status: s.status,
      timestamp: String(Math.floor(s.timestamp / 1000)),
      type: "message",
      message: { recipient_id: s.recipient ?? "" },
      ...(s.pricing ? { pricing: s.pricing } : {}),
      ...(s.error ? { errors: [{ code: s.error.code, title: s.error.title ?? "", ...(s.error.details ? { details: s.error.details } : {}) }] } : {}),
    };
    return postJson(target, { statuses: [status] });
  }
  return postJson(target, { errors: [event.error] });
};

/** One webhook per number (`/configs/webhook`), receiving that number's events with its headers. */
export const lamWebhook: WebhookFormat = {
  name: "lam",
  endpoints: { kind: "configured", per: "number" },
  // A number's webhook: a template review is the account's, not the number's.
  events: ["message.received", "message.status", "number.error"],
  request: lamFormat,
};

/** The same webhook in the Cloud API shape (360dialog's v2, `format: "cloud"`): a number has one or the other. */
export const lamCloudWebhook: WebhookFormat = {
  name: "lam-cloud",
  endpoints: { kind: "configured", per: "number" },
  events: ["message.received", "message.status", "number.error"],
  request: cloudApiFormat,
};
