import { DurableObject } from "cloudflare:workers";
import { forgetNumberKey } from "../stores/kv";
import { loadConfig, type Env } from "../config/env";
import { createLogger, type Logger } from "../lib/log";
import { whatsappUpstream } from "../upstreams/whatsapp";
import { retryable, type BusinessProfile, type OtpMethod, type UpstreamFault, type WhatsAppUpstream } from "../upstreams/whatsapp/types";
import {
  backoffMs,
  CODE_REQUESTABLE,
  DEFAULT_DETAIL,
  DELETABLE,
  MAX_STEP_ATTEMPTS,
  MAX_WRONG_CODES,
  refusal,
  RESEND_INTERVAL_MS,
  success,
  VERIFIABLE,
  viewOf,
  type CreateDeployment,
  type DeploymentRecord,
  type DeploymentState,
  type DeploymentView,
  type HistoryEntry,
  type Outcome,
} from "./deployment-model";
import { dueStep } from "./deployment-steps";
import { DEFAULT_MPS, Pacer, type Permits } from "./pacer";
import { createStickerTables, runStickerOp, StickerStore, type StickerOp } from "./stickers";

type ProfileView = { profile: BusinessProfile; photoUrl: string | null };

/**
 * One object per WhatsApp number, named by its deployment id: the source of truth for its
 * provisioning state, transition history, OTP attempts and business profile. Alarms drive the
 * steps and retry transient upstream faults with backoff. Every mutation runs one at a time
 * (`serial`), and a step in flight is covered by an alarm set before it starts, so a crash or an
 * eviction mid-step resumes from storage. D1 holds a mirror row, updated after each transition.
 */
export class Deployment extends DurableObject<Env> {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL)",
    );
    createStickerTables(ctx.storage.sql);
  }

  async create(input: CreateDeployment, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    return this.serial(async () => {
      if (this.record) return refusal("conflict", "This deployment already exists");
      const now = Date.now();
      const record: DeploymentRecord = {
        ...input,
        state: input.adoptedPhoneNumberId ? "CODE_VERIFIED" : "INITIALIZING",
        detail: input.adoptedPhoneNumberId ? "Number shared through Embedded Signup" : DEFAULT_DETAIL.INITIALIZING,
        phoneNumberId: input.adoptedPhoneNumberId ?? null,
        registered: false,
        otp: { sentAt: null, wrongAttempts: 0 },
        attempts: 0,
        profile: {},
        photoUrl: null,
        mirrored: !input.adoptedPhoneNumberId, // core wrote the row as INITIALIZING
        createdAt: now,
        updatedAt: now,
      };
      this.store(record, true);
      if (options.inline) await this.runSteps(true);
      else await this.ctx.storage.setAlarm(now + this.config.STEP_DELAY_MS);
      return success(viewOf(this.record!));
    });
  }

  async view(): Promise<DeploymentView | null> {
    const r = this.record;
    return r ? viewOf(r) : null;
  }

  async history(): Promise<HistoryEntry[]> {
    return this.ctx.storage.sql.exec<{ at: number; state: DeploymentState; detail: string }>("SELECT at, state, detail FROM history ORDER BY seq").toArray();
  }

  /** Sends the code the first time (CLUSTER_CREATED) or again (CODE_SENT, WRONG_CODE), once a minute at most. */
  async requestCode(method: OtpMethod, language: string): Promise<Outcome<DeploymentView>> {
    return this.serial(async () => {
      const r = this.record;
      if (!r) return refusal("not_found", "Deployment not found");
      // At CLUSTER_CREATED only a deployment waiting for a request (toKABOLA) takes one; a Vonage
      // one is about to send its code itself.
      if (!CODE_REQUESTABLE.includes(r.state) || (r.state === "CLUSTER_CREATED" && r.autoRequestCode)) {
        return refusal("conflict", `No code can be sent in the ${r.state} state`, { reason: "resend_otp" });
      }
      const now = Date.now();
      if (r.otp.sentAt !== null && now - r.otp.sentAt < RESEND_INTERVAL_MS) {
        const wait = Math.ceil((r.otp.sentAt + RESEND_INTERVAL_MS - now) / 1000);
        return refusal("rate_limited", `A code was sent less than a minute ago; retry in ${wait} s`, { retryAfterSeconds: wait });
      }
      const sent = await this.upstream(r).requestCode(r.phoneNumberId!, method, language);
      if (!sent.ok) return this.faultRefusal(sent.fault);
      await this.transition(this.record!, "CODE_SENT", `Verification code sent by ${method}`, {
        method,
        language,
        otp: { sentAt: now, wrongAttempts: 0 },
      });
      return success(viewOf(this.record!));
    });
  }

  /** Checks a code. After MAX_WRONG_CODES wrong ones, refuses until a new code is requested. */
  async verifyCode(code: string, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    return this.serial(async () => {
      const r = this.record;
      if (!r) return refusal("not_found", "Deployment not found");
      if (!VERIFIABLE.includes(r.state)) {
        return refusal("conflict", `The deployment is in the ${r.state} state; there is no code to verify`, { reason: "deployment_state" });
      }
      if (r.otp.wrongAttempts >= MAX_WRONG_CODES) {
        return refusal("verification_failed", `${MAX_WRONG_CODES} wrong codes: request a new code first`, { reason: "too_many_attempts" });
      }
      const checked = await this.upstream(r).verifyCode(r.phoneNumberId!, code);
      if (!checked.ok) return this.faultRefusal(checked.fault);
      if (!checked.value) {
        const wrong = r.otp.wrongAttempts + 1;
        await this.transition(r, "WRONG_CODE", `Wrong verification code (${wrong} of ${MAX_WRONG_CODES})`, {
          otp: { ...r.otp, wrongAttempts: wrong },
        });
        return refusal("verification_failed", "Invalid code provided.", { reason: "wrong_code" });
      }
      await this.transition(r, "CODE_VERIFIED", "Code verified", {});
      if (options.inline) await this.runSteps(true);
      else await this.ctx.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
      return success(viewOf(this.record!));
    });
  }

  async remove(): Promise<Outcome<DeploymentView>> {
    return this.serial(async () => {
      const r = this.record;
      if (!r) return refusal("not_found", "Deployment not found");
      if (!DELETABLE.includes(r.state)) {
        return refusal("conflict", `The deployment cannot be deleted because it is in the ${r.state} state.`, { reason: "deployment_state" });
      }
      await this.transition(r, "DELETING", DEFAULT_DETAIL.DELETING, {});
      await this.ctx.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
      return success(viewOf(this.record!));
    });
  }

  /** Abandons a deployment that never reached a usable state (toKABOLA `add` that failed). */
  async discard(detail: string): Promise<void> {
    await this.serial(async () => {
      const r = this.record;
      if (!r || r.state === "DELETED") return;
      await this.ctx.storage.deleteAlarm();
      await this.transition(r, "DELETED", detail, {});
    });
  }

  async profile(): Promise<Outcome<ProfileView>> {
    const r = this.record;
    if (!r) return refusal("not_found", "Deployment not found");
    if (r.state !== "READY") return success({ profile: r.profile, photoUrl: r.photoUrl });
    const live = await this.upstream(r).getProfile(r.phoneNumberId!);
    if (!live.ok) return this.faultRefusal(live.fault);
    return success({ profile: { ...r.profile, ...live.value.profile }, photoUrl: live.value.photoUrl ?? r.photoUrl });
  }

  async updateProfile(changes: BusinessProfile): Promise<Outcome<ProfileView>> {
    return this.serial(async () => {
      const r = this.readyRecord();
      if (!r.ok) return r;
      const updated = await this.upstream(r.value).updateProfile(r.value.phoneNumberId!, changes);
      if (!updated.ok) return this.faultRefusal(updated.fault, "profile");
      const next = { ...this.record!, profile: { ...r.value.profile, ...changes }, updatedAt: Date.now() };
      this.store(next, false);
      return success({ profile: next.profile, photoUrl: next.photoUrl });
    });
  }

  async setPhoto(imageUrl: string): Promise<Outcome<ProfileView>> {
    return this.serial(async () => {
      const r = this.readyRecord();
      if (!r.ok) return r;
      const set = await this.upstream(r.value).setProfilePhoto(r.value.phoneNumberId!, imageUrl);
      if (!set.ok) return this.faultRefusal(set.fault);
      const next = { ...this.record!, photoUrl: imageUrl, updatedAt: Date.now() };
      this.store(next, false);
      return success({ profile: next.profile, photoUrl: imageUrl });
    });
  }

  /** Sticker packs and stickers (see stickers.ts); refused once the deployment is deleted. */
  async stickers(op: StickerOp): Promise<Outcome<unknown>> {
    const r = this.record;
    if (!r || r.state === "DELETED") return refusal("not_found", "Deployment not found");
    return runStickerOp(new StickerStore(this.ctx.storage.sql), op, Date.now());
  }

  /** Send permits for a chunk of recipients, paced at the number's throughput (see pacer.ts). */
  async permits(waIds: string[]): Promise<Permits> {
    return this.pacer.grant(waIds, Date.now());
  }

  /** Meta rate-limited the number (130429), or one recipient (131056 with `waId`), until `until`. */
  async backoff(until: number, waId?: string): Promise<void> {
    this.pacer.backoff(until, waId);
  }

  async release(waIds: string[]): Promise<void> {
    this.pacer.release(waIds);
  }

  async throughput(): Promise<number> {
    return this.pacer.rate;
  }

  /** Sets the number's messages per second (Meta's default 80, up to 1,000 after its upgrade). */
  async setThroughput(mps: number): Promise<number> {
    this.ctx.storage.kv.put("throughput", mps);
    this.pacer.setRate(mps);
    return mps;
  }

  override async alarm(): Promise<void> {
    await this.serial(async () => {
      const r = this.record;
      if (!r) return;
      if (!r.mirrored) await this.mirror(r);
      await this.runSteps(false);
    });
  }

  // ---- internals ----

  private pacerState?: Pacer;

  private get pacer(): Pacer {
    return (this.pacerState ??= new Pacer(this.ctx.storage.kv.get<number>("throughput") ?? DEFAULT_MPS));
  }

  private get record(): DeploymentRecord | undefined {
    return this.ctx.storage.kv.get<DeploymentRecord>("record");
  }

  private get config() {
    return loadConfig(this.env);
  }

  private get log(): Logger {
    return createLogger({ deployment_id: this.record?.id });
  }

  private upstream(r: DeploymentRecord): WhatsAppUpstream {
    return whatsappUpstream(r.upstream, this.env, this.log);
  }

  /** Runs mutations one at a time: an RPC and an alarm never interleave their upstream calls. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private store(r: DeploymentRecord, withHistory: boolean): void {
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.kv.put("record", r);
      if (withHistory) this.ctx.storage.sql.exec("INSERT INTO history (at, state, detail) VALUES (?, ?, ?)", r.updatedAt, r.state, r.detail);
    });
  }

  private async transition(r: DeploymentRecord, state: DeploymentState, detail: string, patch: Partial<DeploymentRecord>): Promise<DeploymentRecord> {
    const next: DeploymentRecord = { ...r, ...patch, state, detail, updatedAt: Date.now(), mirrored: false };
    this.store(next, true);
    this.log.log("info", "deployment_transition", { from: r.state, to: state, detail });
    return this.mirror(next);
  }

  /** Copies the state to D1. A failure leaves `mirrored` false and an alarm to try again. */
  private async mirror(r: DeploymentRecord): Promise<DeploymentRecord> {
    try {
      const row = await this.env.DB.prepare(
        "UPDATE deployments SET state = ?, detail = ?, phone_number_id = ?, updated_at = ? WHERE id = ? RETURNING api_key_hash",
      )
        .bind(r.state, r.detail, r.phoneNumberId, r.updatedAt, r.id)
        .first<{ api_key_hash: string }>();
      // Only a READY number's key is cached: leaving READY must close the key's fast path too.
      if (row && r.state !== "READY") await forgetNumberKey(this.env.TOKENS, row.api_key_hash);
      const synced = { ...this.record!, mirrored: true };
      this.store(synced, false);
      return synced;
    } catch (e) {
      this.log.log("error", "deployment_mirror_failed", { error_message: String(e) });
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 5_000);
      return r;
    }
  }

  /**
   * Runs the due steps: all of them now when `inline` (a client waits for the result), else one,
   * with the next one on an alarm after STEP_DELAY_MS.
   */
  private async runSteps(inline: boolean): Promise<void> {
    for (;;) {
      const r = this.record!;
      const step = dueStep(r, Date.now());
      if (!step) {
        if (r.mirrored) await this.ctx.storage.deleteAlarm();
        return;
      }
      // The watchdog: if this invocation dies before the step ends, the alarm runs it again.
      await this.ctx.storage.setAlarm(Date.now() + 2 * this.config.META_TIMEOUT_MS + 5_000);
      const result = await step.run(r, this.upstream(r), (patch) => this.store({ ...this.record!, ...patch }, false));
      const current = this.record!;
      if (result.ok) {
        const next = await this.transition(current, step.next, step.detail(current), { ...result.value, attempts: 0 });
        if (inline) continue;
        if (dueStep(next, Date.now())) await this.ctx.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
        else if (next.mirrored) await this.ctx.storage.deleteAlarm();
        return;
      }
      const f = result.fault;
      const attempts = current.attempts + 1;
      if (retryable(f) && attempts < MAX_STEP_ATTEMPTS) {
        this.store({ ...current, attempts, detail: `${DEFAULT_DETAIL[current.state]} (retrying: ${f.message})` }, false);
        this.log.log("warn", "deployment_step_retry", { state: current.state, attempts, upstream_code: f.code, trace_id: f.traceId });
        await this.ctx.storage.setAlarm(Date.now() + backoffMs(attempts));
        return;
      }
      const why = retryable(f) ? `${f.message} (gave up after ${attempts} attempts)` : f.message;
      await this.transition(current, step.onPermanentFault ?? "ERROR", why, { attempts: 0 });
      if (this.record!.mirrored) await this.ctx.storage.deleteAlarm();
      return;
    }
  }

  private readyRecord(): Outcome<DeploymentRecord> {
    const r = this.record;
    if (!r) return refusal("not_found", "Deployment not found");
    if (r.state !== "READY") return refusal("conflict", `The deployment is in the ${r.state} state, not READY`, { reason: "deployment_state" });
    return success(r);
  }

  /** A fault during a call the client waits for: its input, or the upstream, is to blame. */
  private faultRefusal(f: UpstreamFault, reason?: string): Outcome<never> {
    if (f.kind === "invalid_input") return refusal("invalid_request", f.message, reason ? { reason } : {});
    return refusal("upstream_failure", f.message, retryable(f) ? { retryAfterSeconds: 30 } : {});
  }
}
