import { WEBHOOK_FORMATS } from "../../src/dialects/client-webhook-formats";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { storePayloads } from "../../src/core/inbound/intake";
import { processEvent } from "../../src/core/inbound/process";
import { attemptDeliveries } from "../../src/core/client-webhooks/attempts";
import { WebhookFormats } from "../../src/core/client-webhooks/format";
import { signup } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, inboundText, sinkKey, sinkLog, uniqueWamid } from "./harness";

describe("Delivery attempts", () => {
  it("a delivery whose format throws is its own failed attempt; the batch's other delivery, already called, is recorded delivered", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness();
    const key = sinkKey();
    await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/ok`);
    const wamid = uniqueWamid();
    const text = JSON.stringify(inboundText(phoneNumberId, recipient(), "Bonjour", wamid));
    const { fresh } = await storePayloads(h.ctx, [{ text, source: "meta", routeTo: null, receivedAt: h.ctx.clock.now(), payloadId: null }]);
    await processEvent(h.ctx, fresh[0]!.id);
    const { results } = await env.DB.prepare("SELECT d.id, e.format FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.event_id = ?").bind(fresh[0]!.id).all<{ id: string; format: string }>();
    expect(results.map((r) => r.format).sort()).toEqual(["native", "tokabola"]);
    const throwing = new WebhookFormats(
      ["native", "tokabola"].map((name) => {
        const f = WEBHOOK_FORMATS.find(name)!;
        return name === "tokabola" ? { ...f, request: () => { throw new Error("boom"); } } : f;
      }),
    );

    await attemptDeliveries(h.ctx, throwing, results.map((r) => r.id));

    expect(await sinkLog(key)).toHaveLength(1);
    const states = await env.DB.prepare("SELECT d.state, d.attempts, d.last_error, e.format FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.event_id = ? ORDER BY e.format")
      .bind(fresh[0]!.id)
      .all<{ state: string; attempts: number; last_error: string | null; format: string }>();
    expect(states.results).toEqual([
      { state: "delivered", attempts: 1, last_error: null, format: "native" },
      { state: "pending", attempts: 1, last_error: "The request could not be built", format: "tokabola" },
    ]);
  });
});
