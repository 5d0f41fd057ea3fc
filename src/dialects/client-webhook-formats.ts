import { WebhookFormats } from "../core/client-webhooks/format";
import { cloudApiNumberWebhook, cloudApiWebhook } from "./cloud-api/webhook-format";
import { engagelabWebhook } from "./engagelab/webhook-format";
import { lamCloudWebhook, lamWebhook } from "./lam/webhook-format";
import { nativeWebhook } from "./native/webhook-format";
import { tokabolaWebhook } from "./tokabola/webhook-format";
import { vonageInboundWebhook, vonageStatusWebhook } from "./vonage-messages/webhook-format";

/** Every dialect's outgoing webhook format, registered with core: deliveries and endpoint routes take them from here. */
export const WEBHOOK_FORMATS = new WebhookFormats([nativeWebhook, tokabolaWebhook, lamWebhook, engagelabWebhook, vonageStatusWebhook, vonageInboundWebhook, cloudApiWebhook, cloudApiNumberWebhook, lamCloudWebhook]);

/** The per-number webhook format (`/configs/webhook`), set through the LAfricaMobile and the native routes. */
export const NUMBER_WEBHOOK = WEBHOOK_FORMATS.endpointFormat("lam", "configured");

/** The same per-number webhook in the Cloud API shape (360dialog v2 clients): a number has one or the other. */
export const NUMBER_WEBHOOK_CLOUD = WEBHOOK_FORMATS.endpointFormat("lam-cloud", "configured");
