import { DEFAULT_MPS, Pacer, type Permits } from "./pacer";

/**
 * The number's send pacing: a Pacer (see pacer.ts) in memory, built on first use from the
 * throughput kept in storage. Only the throughput is stored; the pacer's position may be lost.
 */
export class Pacing {
  private pacer?: Pacer;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get current(): Pacer {
    return (this.pacer ??= new Pacer(this.storage.kv.get<number>("throughput") ?? DEFAULT_MPS));
  }

  permits(waIds: string[], now: number): Permits {
    return this.current.grant(waIds, now);
  }

  backoff(until: number, waId?: string): void {
    this.current.backoff(until, waId);
  }

  release(waIds: string[]): void {
    this.current.release(waIds);
  }

  get throughput(): number {
    return this.current.rate;
  }

  setThroughput(mps: number): void {
    this.storage.kv.put("throughput", mps);
    this.current.setRate(mps);
  }
}
