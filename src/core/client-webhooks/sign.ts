import { hmacSha256Hex } from "../../lib/crypto";
import type { OutgoingRequest } from "./format";

/**
 * Every client webhook carries `Tuma-Delivery-Id` (the same on every attempt: deduplicate on it)
 * and `Tuma-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + signed)>`, where
 * `signed` is the body for POST and the query string (without `?`) for GET.
 */
const SIGNATURE_HEADER = "Tuma-Signature";
const DELIVERY_ID_HEADER = "Tuma-Delivery-Id";

function signedPart(request: OutgoingRequest): string {
  return request.body ?? new URL(request.url).search.replace(/^\?/, "");
}

export async function signRequest(request: OutgoingRequest, secret: string, deliveryId: string, nowMs: number): Promise<OutgoingRequest> {
  const t = Math.floor(nowMs / 1000);
  const v1 = await hmacSha256Hex(secret, `${t}.${signedPart(request)}`);
  return {
    ...request,
    headers: { ...request.headers, "User-Agent": "Tuma-Webhooks/1", [DELIVERY_ID_HEADER]: deliveryId, [SIGNATURE_HEADER]: `t=${t},v1=${v1}` },
  };
}
