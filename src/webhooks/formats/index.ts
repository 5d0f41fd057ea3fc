import type { EndpointFormat } from "../../core/webhooks/endpoints";
import { engagelabFormat } from "./engagelab";
import { lamFormat } from "./lam";
import { nativeFormat } from "./native";
import { tokabolaFormat } from "./tokabola";
import type { Formatter } from "./types";

/** Each endpoint format's formatter. */
export const FORMATS: Record<EndpointFormat, Formatter> = {
  native: nativeFormat,
  tokabola: tokabolaFormat,
  lam: lamFormat,
  engagelab: engagelabFormat,
};
