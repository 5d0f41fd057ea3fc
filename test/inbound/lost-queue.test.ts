import { describe, expect, it } from "vitest";
import { requeueStuckEvents } from "../../src/core/inbound/intake";
import { listDeliveries, requeueOverdueDeliveries } from "../../src/core/client-webhooks/deliveries";
import { MINUTE } from "../../src/lib/clock";
import { unwrap } from "../../src/lib/errors";
import { signup } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, eventRows, inboundText, sinkKey, sinkLog, uniqueWamid } from "./harness";

describe("Lost queue messages", () => {
  it("the cron re-queues an event whose queue message was lost, and a delivery whose retry never came back", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness();
    const key = sinkKey();
    const { endpoint } = unwrap(await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/ok`));
    const wamid = uniqueWamid();
    await h.intake(inboundText(phoneNumberId, recipient(), "Perdu ?", wamid));
    await h.storeOnly(); // the consumer stored it and died before processing it
    expect((await eventRows(wamid)).map((e) => e.state)).toEqual(["received"]);
    h.clock.advance(6 * MINUTE);
    // Files share the store: other files' waiting events are older than this one, so take them all.
    expect(await requeueStuckEvents(h.ctx, 10_000)).toBeGreaterThanOrEqual(1);
    await h.runInbound();
    expect((await eventRows(wamid)).map((e) => e.state)).toEqual(["processed"]);

    h.deliveries.pending = []; // and the deliveries' messages too
    h.clock.advance(11 * MINUTE);
    expect(await requeueOverdueDeliveries(h.ctx)).toBeGreaterThanOrEqual(1);
    await h.runDeliveries();
    const [delivery] = await listDeliveries(h.ctx, account.id, { endpointId: endpoint.id, limit: 1 });
    expect(delivery!.state).toBe("delivered");
    expect((await sinkLog(key)).map((r) => JSON.parse(r.body).message.id)).toEqual([wamid]);
  });
});
