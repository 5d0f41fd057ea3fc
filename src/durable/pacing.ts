import { DEFAULT_MPS, Pacer, type Permits } from "./pacer";

/** Expired pairs are deleted from storage once every this many grants. */
const PRUNE_EVERY = 64;

/**
 * The number's send pacing: a Pacer (see pacer.ts) in memory, written through to the object's
 * storage (its position and backoff in KV, recent pairs in a table), so an object evicted between
 * two chunks hands out no permit twice for the same second, no pair early, and keeps backing off.
 */
export class Pacing {
  private pacer?: Pacer;
  private grants = 0;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get current(): Pacer {
    if (this.pacer) return this.pacer;
    this.storage.sql.exec("CREATE TABLE IF NOT EXISTS pacer_pairs (wa_id TEXT PRIMARY KEY, ready_at INTEGER NOT NULL)");
    const position = this.storage.kv.get<{ cursor: number; blockedUntil: number }>("pacer") ?? { cursor: 0, blockedUntil: 0 };
    const rows = this.storage.sql.exec<{ wa_id: string; ready_at: number }>("SELECT wa_id, ready_at FROM pacer_pairs WHERE ready_at > ?", Date.now()).toArray();
    const pairs = new Map(rows.map((r) => [r.wa_id, r.ready_at]));
    return (this.pacer = new Pacer(this.storage.kv.get<number>("throughput") ?? DEFAULT_MPS, { ...position, pairs }));
  }

  permits(waIds: string[], now: number): Permits {
    const pacer = this.current;
    const permits = pacer.grant(waIds, now);
    this.savePairs(permits.slots.map((s) => s.waId));
    this.savePosition();
    if (++this.grants % PRUNE_EVERY === 0) this.storage.sql.exec("DELETE FROM pacer_pairs WHERE ready_at <= ?", now);
    return permits;
  }

  backoff(until: number, waId?: string): void {
    this.current.backoff(until, waId);
    if (waId === undefined) this.savePosition();
    else this.savePairs([waId]);
  }

  release(waIds: string[]): void {
    this.current.release(waIds);
    for (const waId of waIds) this.storage.sql.exec("DELETE FROM pacer_pairs WHERE wa_id = ?", waId);
  }

  get throughput(): number {
    return this.current.rate;
  }

  setThroughput(mps: number): void {
    this.storage.kv.put("throughput", mps);
    this.current.setRate(mps);
  }

  private savePosition(): void {
    this.storage.kv.put("pacer", this.current.position);
  }

  private savePairs(waIds: string[]): void {
    for (const waId of waIds) {
      this.storage.sql.exec("INSERT OR REPLACE INTO pacer_pairs (wa_id, ready_at) VALUES (?, ?)", waId, this.current.pairReady(waId));
    }
  }
}
