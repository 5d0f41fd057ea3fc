import { describe, expect, it } from "vitest";
import { setThroughput } from "../../src/core/campaigns/throughput";
import { CONNECTIONS_PER_INVOCATION } from "../../src/lib/connection-cap";
import { metaCtx } from "../messages/helpers";
import { campaignAccount, deliver, parkedCampaign, recipientRows, recipients } from "./helpers";

interface StandinCounters {
  accepted: number;
  throughputRefused: number;
  pairRefused: number;
  maxConcurrent: number;
  maxConcurrentByInvocation: Record<string, number>;
}

/** Hands the number's sends to its own Meta stand-in (test/fakes/standin-numbers.ts): Meta's latency, its bucket at `ratePerSecond`. */
async function standinFor(phoneNumberId: string, options: { latencyMs?: number; ratePerSecond?: number } = {}) {
  const url = `https://standin.fake.test/numbers/${phoneNumberId}`;
  await fetch(url, { method: "POST", body: JSON.stringify(options) });
  return async () => (await (await fetch(url)).json()) as StandinCounters;
}

describe("production's connection cap, against the Meta stand-in", () => {
  it("a campaign at 1,000/s fans out: never more than 6 sends waiting for Meta in one invocation, many invocations side by side", async () => {
    const { accountId, phoneNumberId } = await campaignAccount(10_000);
    expect((await setThroughput(metaCtx(), accountId, phoneNumberId, 1000)).ok).toBe(true);
    const counters = await standinFor(phoneNumberId, { latencyMs: 200, ratePerSecond: 1000 });
    const { id, chunk, clock } = await parkedCampaign(accountId, recipients(40));
    await deliver(chunk, clock);
    const seen = await counters();
    expect(seen.accepted).toBe(40);
    expect(seen.throughputRefused + seen.pairRefused).toBe(0);
    // Every send carried its invocation's name; none of them had more than the cap open at once,
    // while the number had more than one invocation's worth open: waves run side by side.
    expect(seen.maxConcurrentByInvocation[""]).toBeUndefined();
    expect(Math.max(...Object.values(seen.maxConcurrentByInvocation))).toBeLessThanOrEqual(CONNECTIONS_PER_INVOCATION);
    expect(Object.keys(seen.maxConcurrentByInvocation).length).toBeGreaterThanOrEqual(Math.ceil(40 / CONNECTIONS_PER_INVOCATION));
    expect(seen.maxConcurrent).toBeGreaterThan(CONNECTIONS_PER_INVOCATION);
    expect((await recipientRows(id)).every((r) => r.state === "sent")).toBe(true);
  });
});
