import { postJson, type Formatter, type WebhookFormat } from "../../core/client-webhooks/format";

/** Native endpoints receive the canonical event (src/core/client-webhooks/events.ts) as JSON. */
export const nativeFormat: Formatter = (event, target) => postJson(target, event);

/** Any number of endpoints (`POST /api/v1/webhooks`), at most 10 per account. */
export const nativeWebhook: WebhookFormat = { name: "native", endpoints: { kind: "listed", max: 10 }, request: nativeFormat };
