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
 * Pure and deterministic on the `now` it is given. Its state (`PacerState`) is kept in the
 * object's storage by pacing.ts, so an evicted object resumes where it stood.
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

/** What a Pacer must remember across evictions: the bucket's position, the number's backoff, recent pairs. */
export interface PacerState {
  cursor: number; // the next free slot
  blockedUntil: number; // 130429 backoff
  pairs: Map<string, number>; // wa_id → earliest time of its next message
}

export class Pacer {
  private cursor: number;
  private blockedUntil: number;
  private readonly pairs: Map<string, number>;

  constructor(
    private mps = DEFAULT_MPS,
    state: PacerState = { cursor: 0, blockedUntil: 0, pairs: new Map() },
  ) {
    ({ cursor: this.cursor, blockedUntil: this.blockedUntil, pairs: this.pairs } = state);
  }

  /** The bucket's position and the number's backoff (pairs are read one by one with `pairReady`). */
  get position(): { cursor: number; blockedUntil: number } {
    return { cursor: this.cursor, blockedUntil: this.blockedUntil };
  }

  /** When `waId` may next be sent to (0: now). */
  pairReady(waId: string): number {
    return this.pairs.get(waId) ?? 0;
  }

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
