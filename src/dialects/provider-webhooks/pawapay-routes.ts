import * as z from "zod";
import { depositCallback } from "../../core/money/deposits/refresh";
import { clientIp, json, readJsonBody } from "../../lib/http";
import { unwrap } from "../../lib/errors";
import { rateLimit } from "../../core/limits/rate-limits";
import { declareRoute } from "../../lib/openapi";
import { NativeErrorSchema } from "../native/errors";
import { webhooksRouter } from "./router";

/**
 * pawaPay's deposit callback (v2 body: the deposit itself; v1 has the same `depositId`). It is a
 * hint and nothing more: its status is not read, the deposit is checked with pawaPay's status
 * endpoint and money moves only on that answer. So a forged or replayed callback can at most
 * cause a status check, and it needs no signature check to be safe.
 */
const Callback = z.object({ depositId: z.string().min(1).max(100) }).loose();

const Ack = z.object({ status: z.enum(["checked", "ignored"]).describe("ignored: unknown id or already final") });

webhooksRouter.post("/pawapay", async (request, rc) => {
  unwrap(await rateLimit(rc.core, "callback", clientIp(request)));
  const parsed = Callback.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    rc.log.log("warn", "pawapay_callback_ignored", { reason: "no depositId" });
    return json({ status: "ignored" });
  }
  const status = await depositCallback(rc.core, parsed.data.depositId);
  rc.log.log("info", "pawapay_callback", { deposit_id: parsed.data.depositId, outcome: status });
  return json({ status });
});
declareRoute({
  method: "post",
  path: "/webhooks/pawapay",
  operationId: "receivePawapayCallback",
  tag: "Webhooks",
  summary: "pawaPay deposit callback: triggers a status check with pawaPay",
  description:
    "Configure this URL in pawaPay's dashboard (Deposits callback). The body's status is never trusted: the gateway asks pawaPay's status endpoint and credits only on COMPLETED there. Unknown ids are acknowledged and ignored.",
  security: "none",
  body: Callback,
  responses: {
    200: { description: "Acknowledged", schema: Ack },
    400: { description: "Body is not JSON", schema: NativeErrorSchema },
    429: { description: "Too many callbacks from this IP (Retry-After); pawaPay retries, and the cron polls anyway", schema: NativeErrorSchema },
  },
});
