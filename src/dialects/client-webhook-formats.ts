import { engagelabFormat } from "./engagelab/webhook-format";
import { lamFormat } from "./lam/webhook-format";
import { nativeFormat } from "./native/webhook-format";
import { tokabolaFormat } from "./tokabola/webhook-format";
import type { WebhookFormats } from "../core/client-webhooks/format";

/** Each endpoint format's formatter. */
export const WEBHOOK_FORMATS: WebhookFormats = {
  native: nativeFormat,
  tokabola: tokabolaFormat,
  lam: lamFormat,
  engagelab: engagelabFormat,
};
