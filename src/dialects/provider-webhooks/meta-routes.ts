import * as z from "zod";
import { intakeMetaPayload, MAX_META_PAYLOAD_BYTES, SIGNATURE_HEADER } from "../../core/inbound/intake";
import { AppError, unwrap } from "../../lib/errors";
import { timingSafeEqualText } from "../../lib/crypto";
import { clientIp, json, readRawBody } from "../../lib/http";
import { rateLimit } from "../../core/limits/rate-limits";
import { declareRoute } from "../../lib/openapi";
import { NativeErrorSchema } from "../native/errors";
import { webhooksRouter } from "./router";

/**
 * Meta's webhook (reference §6): the GET handshake against META_VERIFY_TOKEN, and signed POSTs
 * queued before they are acknowledged (src/core/inbound/intake.ts).
 */
webhooksRouter.get("/meta", async (request, rc) => {
  unwrap(await rateLimit(rc.core, "callback", clientIp(request)));
  const url = new URL(request.url);
  const expected = rc.core.config.META_VERIFY_TOKEN;
  const token = url.searchParams.get("hub.verify_token");
  if (url.searchParams.get("hub.mode") !== "subscribe" || !expected || !token || !timingSafeEqualText(token, expected)) {
    rc.log.log("warn", "meta_handshake_refused", { configured: Boolean(expected) });
    throw new AppError("forbidden", "Wrong hub.mode or hub.verify_token");
  }
  return new Response(url.searchParams.get("hub.challenge") ?? "", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
});
declareRoute({
  method: "get",
  path: "/webhooks/meta",
  operationId: "verifyMetaWebhook",
  tag: "Webhooks",
  summary: "Meta's verification handshake: answers hub.challenge when hub.verify_token is META_VERIFY_TOKEN",
  security: "none",
  query: z.object({ "hub.mode": z.literal("subscribe"), "hub.verify_token": z.string(), "hub.challenge": z.string() }),
  responses: {
    200: { description: "The hub.challenge value, as plain text", schema: z.string(), contentType: "text/plain" },
    403: { description: "Wrong verify token (or META_VERIFY_TOKEN not set)", schema: NativeErrorSchema },
    429: { description: "Too many handshakes from this IP (Retry-After)", schema: NativeErrorSchema },
  },
});

const Queued = z.object({ status: z.literal("queued") });

webhooksRouter.post("/meta", async (request, rc) => {
  const raw = await readRawBody(request, MAX_META_PAYLOAD_BYTES);
  unwrap(await intakeMetaPayload(rc.core, raw, request.headers.get(SIGNATURE_HEADER)));
  return json({ status: "queued" });
});
declareRoute({
  method: "post",
  path: "/webhooks/meta",
  operationId: "receiveMetaWebhook",
  tag: "Webhooks",
  summary: "Meta's webhook: X-Hub-Signature-256 checked over the raw body, queued, then acknowledged",
  description:
    "Set this URL as the app's WhatsApp callback. The signature (HMAC-SHA256 of the exact bytes with META_APP_SECRET) is checked in constant time before anything is parsed; a bad or missing one stores nothing. The payload is queued (a payload over 120 KB is stored first and queued by reference) before the answer; the INBOUND consumer stores each message and status once (by wamid, and by wamid + status), so Meta's retries and duplicates do nothing, and processes them in order per number.",
  security: "none",
  headers: z.object({ "X-Hub-Signature-256": z.string().describe("sha256=<HMAC-SHA256 of the raw body with META_APP_SECRET, hex>") }),
  rawBody: { contentType: "application/json", schema: z.record(z.string(), z.unknown()).describe("Meta's webhook payload (object: whatsapp_business_account)") },
  responses: {
    200: { description: "Queued: it will be stored and processed", schema: Queued },
    400: { description: "Signed, but not JSON", schema: NativeErrorSchema },
    401: { description: "Missing or invalid signature: nothing stored", schema: NativeErrorSchema },
    413: { description: "Larger than Meta's 3 MB", schema: NativeErrorSchema },
  },
});
