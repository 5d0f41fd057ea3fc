import { WEBHOOK_FORMATS } from "../../src/dialects/client-webhook-formats";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { intakeMetaPayload, storePayloads, type PayloadMessage } from "../../src/core/inbound/intake";
import { processEvent } from "../../src/core/inbound/process";
import { attemptDelivery } from "../../src/core/client-webhooks/attempts";
import { signup } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, inboundText, metaSignature, sinkKey, sinkLog, uniqueWamid } from "./harness";

describe("Races", () => {
  it("concurrent copies of a payload, an event processed twice at once and a delivery attempted twice at once make one call per endpoint", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness();
    const key = sinkKey();
    await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/ok`);
    const wamid = uniqueWamid();
    const raw = new TextEncoder().encode(JSON.stringify(inboundText(phoneNumberId, recipient(), "Bonjour", wamid)));
    const signature = await metaSignature(raw);
    await Promise.all(Array.from({ length: 6 }, () => intakeMetaPayload(h.ctx, raw, signature)));
    // Six consumers store their copy at once: one event.
    const copies = h.inbound.takeDue() as unknown as PayloadMessage[];
    expect(copies).toHaveLength(6);
    const stored = await Promise.all(
      copies.map((m) => storePayloads(h.ctx, [{ text: m.body!, source: "meta", routeTo: null, receivedAt: m.receivedAt, payloadId: null }])),
    );
    const fresh = stored.flatMap((s) => s.fresh.map((e) => e.id));
    expect(fresh).toHaveLength(1);

    await Promise.all([processEvent(h.ctx, fresh[0]!), processEvent(h.ctx, fresh[0]!), processEvent(h.ctx, fresh[0]!)]);
    const { results } = await env.DB.prepare("SELECT d.id, e.format FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.event_id = ?").bind(fresh[0]!).all<{ id: string; format: string }>();
    expect(results.map((r) => r.format).sort()).toEqual(["native", "tokabola"]);

    const native = results.find((r) => r.format === "native")!;
    await Promise.all([attemptDelivery(h.ctx, WEBHOOK_FORMATS, native.id), attemptDelivery(h.ctx, WEBHOOK_FORMATS, native.id), attemptDelivery(h.ctx, WEBHOOK_FORMATS, native.id)]);
    const received = await sinkLog(key);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body).message.id).toBe(wamid);
  });
});
