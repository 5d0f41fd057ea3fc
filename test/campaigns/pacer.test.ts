import { describe, expect, it } from "vitest";
import { HORIZON_MS, Pacer, PAIR_GAP_MS } from "../../src/durable/pacer";

const T0 = 1_000_000;

describe("Pacer: the number's token bucket", () => {
  it("spaces permits at the number's rate after a burst of a tenth of a second's worth", () => {
    const pacer = new Pacer(200);
    const ids = Array.from({ length: 100 }, (_, i) => `24381000${i.toString().padStart(4, "0")}`);
    const { slots, deferred } = pacer.grant(ids, T0);
    expect(deferred).toEqual([]);
    expect(slots.slice(0, 20).every((s) => s.at === T0)).toBe(true); // burst: 200/10
    const gaps = slots.slice(20).map((s, i) => s.at - slots[19 + i]!.at);
    expect(gaps.every((g) => g >= 4 && g <= 6)).toBe(true); // 5 ms apart at 200/s
    // In any one second no more than the rate plus the burst.
    expect(slots.filter((s) => s.at < T0 + 1000).length).toBeLessThanOrEqual(220);
  });

  it("a second chunk continues where the first one's permits end, never before", () => {
    const pacer = new Pacer(80);
    const first = pacer.grant(["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"], T0);
    const second = pacer.grant(["b1", "b2"], T0);
    expect(second.slots[0]!.at).toBeGreaterThanOrEqual(first.slots.at(-1)!.at + 12);
  });

  it("hands out permits only up to the horizon; the rest are deferred to when they can be asked again", () => {
    const pacer = new Pacer(10);
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const { slots, deferred } = pacer.grant(ids, T0);
    expect(slots.at(-1)!.at).toBeLessThanOrEqual(T0 + HORIZON_MS);
    expect(slots.length + deferred.length).toBe(40);
    expect(deferred.length).toBeGreaterThan(0);
  });

  it("the pair limit: the same recipient again within 6 s is deferred without spending a permit", () => {
    const pacer = new Pacer(1000);
    const first = pacer.grant(["243810000001"], T0);
    const again = pacer.grant(["243810000001", "243810000002"], T0 + 10);
    expect(again.deferred).toEqual([{ waId: "243810000001", until: first.slots[0]!.at + PAIR_GAP_MS, reason: "pair" }]);
    expect(again.slots.map((s) => s.waId)).toEqual(["243810000002"]);
    expect(pacer.grant(["243810000001"], T0 + PAIR_GAP_MS).slots).toHaveLength(1);
  });

  it("backoff after 130429 stops the whole number; after 131056 only that recipient", () => {
    const pacer = new Pacer(1000);
    pacer.backoff(T0 + 1500);
    expect(pacer.grant(["x"], T0).slots[0]!.at).toBeGreaterThanOrEqual(T0 + 1500);
    const other = new Pacer(1000);
    other.backoff(T0 + 16_000, "y");
    const permits = other.grant(["y", "z"], T0);
    expect(permits.deferred).toEqual([{ waId: "y", until: T0 + 16_000, reason: "pair" }]);
    expect(permits.slots).toEqual([{ waId: "z", at: T0 }]);
  });

  it("a new rate applies to the next permits", () => {
    const pacer = new Pacer(80);
    pacer.setRate(1000);
    const { slots } = pacer.grant(Array.from({ length: 200 }, (_, i) => `n${i}`), T0);
    expect(slots.at(-1)!.at - T0).toBeLessThanOrEqual(200);
  });
});
