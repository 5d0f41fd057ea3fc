import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PAIR_GAP_MS } from "../../src/durable/pacer";
import { Pacing } from "../../src/durable/pacing";

/** Two Pacing objects over one object's storage: the second is the object after an eviction. */
async function beforeAndAfterEviction(run: (before: Pacing, after: () => Pacing) => void) {
  const stub = env.DEPLOYMENTS.get(env.DEPLOYMENTS.idFromName(`pacing-${crypto.randomUUID()}`));
  await runInDurableObject(stub, (_instance, state) => run(new Pacing(state.storage), () => new Pacing(state.storage)));
}

describe("the pacer's state survives the object's eviction", () => {
  it("the bucket's position: permits after the eviction continue after the last ones handed out", async () => {
    await beforeAndAfterEviction((before, after) => {
      const now = Date.now();
      before.setThroughput(10);
      const first = before.permits(["a", "b", "c", "d", "e"], now);
      const second = after().permits(["f"], now);
      expect(second.slots[0]!.at).toBeGreaterThanOrEqual(first.slots.at(-1)!.at + 100);
    });
  });

  it("recent pairs: a recipient sent to just before the eviction is still deferred for the pair gap", async () => {
    await beforeAndAfterEviction((before, after) => {
      const now = Date.now();
      before.permits(["243810000001"], now);
      const again = after().permits(["243810000001"], now + 1000);
      expect(again.slots).toEqual([]);
      expect(again.deferred[0]).toMatchObject({ reason: "pair", waId: "243810000001" });
      expect(again.deferred[0]!.until).toBeGreaterThanOrEqual(now + PAIR_GAP_MS - 1);
    });
  });

  it("backoff: a number told 130429 before the eviction still waits after it; a released pair is free", async () => {
    await beforeAndAfterEviction((before, after) => {
      const now = Date.now();
      before.backoff(now + 30_000);
      before.permits(["243810000002"], now);
      before.release(["243810000002"]);
      const later = after().permits(["243810000002"], now + 10);
      expect(later.slots).toEqual([]);
      expect(later.deferred[0]).toMatchObject({ reason: "rate" });
      expect(later.deferred[0]!.until).toBeGreaterThanOrEqual(now + 30_000 - 2000);
    });
  });
});
