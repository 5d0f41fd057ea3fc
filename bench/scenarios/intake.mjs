// Issue 7: Meta's webhook intake, beside the bare route: signed status payloads per second and the
// ack's p99. Every request is a distinct `delivered` status (its own wamid), signed like Meta
// signs (HMAC-SHA256 of the raw body with the app secret: the sandbox's default here), so each
// one is verified, stored (payload + event row) and queued before its 200.
import { createHmac } from "node:crypto";
import { beside } from "../lib.mjs";

const APP_SECRET = process.env.BENCH_APP_SECRET ?? "tuma-sandbox-app-secret";
let seq = 0;

function signedStatus(secret = APP_SECRET) {
  seq += 1;
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "243815550100", phone_number_id: "106540352242922" },
      statuses: [{ id: `wamid.BENCH${process.pid}x${seq}`, status: "delivered", timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: "243970001122",
        pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" } }],
    } }] }],
  });
  return { body, signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` };
}

export async function metaIntake(ctx) {
  const measured = await beside(
    ctx.bare,
    {
      title: "POST /webhooks/meta, signed status payload (verify, store, queue, 200)",
      url: `${ctx.url}/webhooks/meta`,
      method: "POST",
      requests: [
        {
          setupRequest(request) {
            const { body, signature } = signedStatus(ctx.appSecret);
            return { ...request, method: "POST", body, headers: { ...request.headers, "Content-Type": "application/json", "X-Hub-Signature-256": signature } };
          },
        },
      ],
      seconds: ctx.seconds,
      connections: ctx.connections,
    },
    ctx.rounds,
  );
  return {
    throughputRatio: measured.throughputRatio,
    rows: [measured.bare, measured.route],
    checks: [
      {
        target: "Meta intake: signed status payloads/s, beside the bare route",
        measured: `${measured.route.rps} payloads/s = ${(measured.throughputRatio * 100).toFixed(0)}% of the bare route (median of ${ctx.rounds} paired rounds)`,
        met: true,
      },
      {
        target: "Meta intake ack p99 ≤ 1 s (Meta: under 1% of responses over 1 s)",
        measured: `${measured.route.p99_ms} ms, ${measured.p99Ratio.toFixed(2)}× the bare route's p99`,
        met: measured.route.p99_ms <= 1000,
      },
    ],
  };
}
