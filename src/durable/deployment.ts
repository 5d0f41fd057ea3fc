import { DurableObject } from "cloudflare:workers";
import { loadConfig, type Env } from "../config/env";
import { invocationFetch } from "../config/create-context";
import type { Fetch } from "../lib/connection-cap";
import { createLogger } from "../lib/log";
import { whatsappUpstream } from "../upstreams/whatsapp";
import type { BusinessProfile, OtpMethod } from "../upstreams/whatsapp/types";
import { refusal, viewOf, type CreateDeployment, type DeploymentRecord, type DeploymentView, type HistoryEntry, type Outcome } from "./deployment-model";
import { RecordStore } from "./deployment-record";
import type { Permits } from "./pacer";
import { Pacing } from "./pacing";
import { Profile, type ProfileView } from "./profile";
import { Provisioning } from "./provisioning";
import { createStickerTables, runStickerOp, StickerStore, type StickerOp } from "./stickers";
import { createMessageLogTables, MessageLogStore, type LogMethod } from "./message-log";

/**
 * One object per WhatsApp number, named by its deployment id: the source of truth for its
 * provisioning state, transition history, OTP attempts, business profile, stickers and send
 * pacing. A number's message log lives in the object of the same class named by the number's
 * phone_number_id (`number:<id>`, what every send and every Meta event carries, so reaching it
 * needs no lookup). Each concept is its own module (provisioning.ts, profile.ts, stickers.ts,
 * pacing.ts, message-log.ts); this class is the RPC surface. Every mutation runs one at a time (`serial`), so an RPC and an
 * alarm never interleave their upstream calls.
 */
export class Deployment extends DurableObject<Env> {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly records: RecordStore;
  private readonly provisioning: Provisioning;
  private readonly profiles: Profile;
  private readonly pacing: Pacing;
  private readonly messages: MessageLogStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The object's calls share one connection budget, as its requests share one I/O context in production.
    // Built on first use: a malformed configuration fails the call that needs it, not the object.
    let fetcher: Fetch | undefined;
    const outbound: Fetch = (input, init) => (fetcher ??= invocationFetch(loadConfig(env)))(input, init);
    const upstream = (r: DeploymentRecord) => whatsappUpstream(r.upstream, env, createLogger({ deployment_id: r.id }), outbound);
    this.records = new RecordStore(ctx.storage);
    this.provisioning = new Provisioning(ctx.storage, this.records, env, upstream);
    this.profiles = new Profile(this.records, upstream);
    this.pacing = new Pacing(ctx.storage);
    createStickerTables(ctx.storage.sql);
    createMessageLogTables(ctx.storage.sql);
    this.messages = new MessageLogStore(ctx.storage);
  }

  // ---- provisioning (provisioning.ts) ----

  async create(input: CreateDeployment, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    return this.serial(() => this.provisioning.create(input, options));
  }

  async view(): Promise<DeploymentView | null> {
    const r = this.records.current;
    return r ? viewOf(r) : null;
  }

  async history(): Promise<HistoryEntry[]> {
    return this.records.history();
  }

  async requestCode(method: OtpMethod, language: string): Promise<Outcome<DeploymentView>> {
    return this.serial(() => this.provisioning.requestCode(method, language));
  }

  async verifyCode(code: string, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    return this.serial(() => this.provisioning.verifyCode(code, options));
  }

  async remove(): Promise<Outcome<DeploymentView>> {
    return this.serial(() => this.provisioning.remove());
  }

  async discard(detail: string): Promise<void> {
    await this.serial(() => this.provisioning.discard(detail));
  }

  override async alarm(): Promise<void> {
    await this.serial(() => this.provisioning.resume());
  }

  // ---- profile (profile.ts) ----

  async profile(): Promise<Outcome<ProfileView>> {
    return this.profiles.view();
  }

  async updateProfile(changes: BusinessProfile): Promise<Outcome<ProfileView>> {
    return this.serial(() => this.profiles.update(changes));
  }

  async setPhoto(imageUrl: string): Promise<Outcome<ProfileView>> {
    return this.serial(() => this.profiles.setPhoto(imageUrl));
  }

  // ---- stickers (stickers.ts) ----

  /** Sticker packs and stickers; refused once the deployment is deleted. */
  async stickers(op: StickerOp): Promise<Outcome<unknown>> {
    const r = this.records.current;
    if (!r || r.state === "DELETED") return refusal("not_found", "Deployment not found");
    return runStickerOp(new StickerStore(this.ctx.storage.sql), op, Date.now());
  }

  // ---- pacing (pacing.ts) ----

  /** Send permits for a chunk of recipients, paced at the number's throughput (see pacer.ts). */
  async permits(waIds: string[]): Promise<Permits> {
    return this.pacing.permits(waIds, Date.now());
  }

  /** Meta rate-limited the number (130429), or one recipient (131056 with `waId`), until `until`. */
  async backoff(until: number, waId?: string): Promise<void> {
    this.pacing.backoff(until, waId);
  }

  async release(waIds: string[]): Promise<void> {
    this.pacing.release(waIds);
  }

  async throughput(): Promise<number> {
    return this.pacing.throughput;
  }

  /** Sets the number's messages per second (Meta's default 80, up to 1,000 after its upgrade). */
  async setThroughput(mps: number): Promise<number> {
    this.pacing.setThroughput(mps);
    return mps;
  }

  // ---- message log (message-log.ts) ----

  /** One operation on the number's message log; each runs whole before the next (the object is single-threaded, and none awaits). */
  async messageLog<M extends LogMethod>(method: M, args: Parameters<MessageLogStore[M]>): Promise<ReturnType<MessageLogStore[M]>> {
    const run = this.messages[method] as (...a: unknown[]) => ReturnType<MessageLogStore[M]>;
    return run.apply(this.messages, args);
  }

  /** Runs mutations one at a time: an RPC and an alarm never interleave their upstream calls. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
