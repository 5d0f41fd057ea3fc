/**
 * One number's send pacing (reference §7.2 and §1.6), kept in memory by its Deployment object:
 *
 * - a token bucket at the number's throughput (messages per second), handed out as time slots:
 *   a consumer asks for permits for a whole chunk in one call and gets the instant each message
 *   may go; bursts are capped at a tenth of a second's worth, so no one-second window ever sees
 *   more than the rate plus that small burst;
 * - Meta's pair limit: one message per PAIR_GAP_MS to the same recipient; a recipient asked for
 *   too soon is deferred (no slot spent) with the time it may be asked for again;
 * - backoff: after Meta's 130429 the whole number stops until a given time, after 131056 that
 *   one recipient does.
 *
 * Pure and deterministic on the `now` it is given; losing it (eviction) only forgets recent
 * pairs and the bucket's position, which can at worst earn one 131056/130429 that backs off.
 */
export const DEFAULT_MPS = 80;
export const MAX_MPS = 1000;
export const PAIR_GAP_MS = 6000;
/** Permits are never handed out further ahead than this: a consumer waits at most this long. */
export const HORIZON_MS = 2000;

export interface Permits {
  /** Recipients that may be sent, each at `at` (ms since the epoch), in order. */
  slots: { waId: string; at: number }[];
  /** Recipients that must wait (the pair limit, or the rate beyond the horizon), and until when. */
  deferred: { waId: string; until: number; reason: "pair" | "rate" }[];
}

export class Pacer {
  private cursor = 0; // the next free slot
  private blockedUntil = 0; // 130429 backoff
  private readonly pairs = new Map<string, number>(); // wa_id → earliest time of its next message

  constructor(private mps = DEFAULT_MPS) {}

  get rate(): number {
    return this.mps;
  }

  setRate(mps: number): void {
    this.mps = mps;
  }

  grant(waIds: string[], now: number): Permits {
    const interval = 1000 / this.mps;
    const burst = Math.max(1, Math.floor(this.mps / 10));
    this.cursor = Math.max(this.cursor, now - (burst - 1) * interval, this.blockedUntil);
    this.prune(now);
    const out: Permits = { slots: [], deferred: [] };
    for (const waId of waIds) {
      const at = Math.max(this.cursor, now);
      const pairReady = this.pairs.get(waId) ?? 0;
      if (pairReady > at) {
        out.deferred.push({ waId, until: pairReady, reason: "pair" });
        continue;
      }
      if (at > now + HORIZON_MS) {
        out.deferred.push({ waId, until: at - HORIZON_MS, reason: "rate" });
        continue;
      }
      out.slots.push({ waId, at: Math.ceil(at) });
      this.pairs.set(waId, at + PAIR_GAP_MS);
      this.cursor += interval;
    }
    return out;
  }

  /** Meta said 130429 (the number) or 131056 (a pair): nothing goes out before `until`. */
  backoff(until: number, waId?: string): void {
    if (waId === undefined) this.blockedUntil = Math.max(this.blockedUntil, until);
    else this.pairs.set(waId, Math.max(this.pairs.get(waId) ?? 0, until));
  }

  /** Permits handed out but not used (the claim found the recipient paused, cancelled or sent): the pair is free again. */
  release(waIds: string[]): void {
    for (const waId of waIds) this.pairs.delete(waId);
  }

  private prune(now: number): void {
    if (this.pairs.size < 4096) return;
    for (const [waId, ready] of this.pairs) if (ready <= now) this.pairs.delete(waId);
  }
}
