import { loadConfig, type Config, type Env } from "../config/env";
import { createLogger, type Logger } from "../lib/log";
import { forgetNumberKey } from "../stores/number-keys";
import { mirrorDeployment } from "../stores/numbers";
import { retryable, type OtpMethod, type WhatsAppUpstream } from "../upstreams/whatsapp/types";
import {
  backoffMs,
  CODE_REQUESTABLE,
  DEFAULT_DETAIL,
  DELETABLE,
  faultRefusal,
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
  type Outcome,
} from "./deployment-model";
import type { RecordStore } from "./deployment-record";
import { dueStep } from "./provisioning-steps";

/**
 * The provisioning state machine of one number: the client's requests (create, code, delete) and
 * the steps its alarm drives (see provisioning-steps.ts), retrying transient upstream faults with
 * backoff. A step in flight is covered by an alarm set before it starts, so a crash or an eviction
 * mid-step resumes from storage. D1 holds a mirror row, updated after each transition. The caller
 * runs these one at a time.
 */
export class Provisioning {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly records: RecordStore,
    private readonly env: Env,
    private readonly upstream: (r: DeploymentRecord) => WhatsAppUpstream,
  ) {}

  async create(input: CreateDeployment, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    if (this.records.current) return refusal("conflict", "This deployment already exists");
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
    this.records.save(record, true);
    if (options.inline) await this.runSteps(true);
    else await this.storage.setAlarm(now + this.config.STEP_DELAY_MS);
    return success(viewOf(this.records.current!));
  }

  /** Sends the code the first time (CLUSTER_CREATED) or again (CODE_SENT, WRONG_CODE), once a minute at most. */
  async requestCode(method: OtpMethod, language: string): Promise<Outcome<DeploymentView>> {
    const r = this.records.current;
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
    if (!sent.ok) return faultRefusal(sent.fault);
    await this.transition(this.records.current!, "CODE_SENT", `Verification code sent by ${method}`, {
      method,
      language,
      otp: { sentAt: now, wrongAttempts: 0 },
    });
    return success(viewOf(this.records.current!));
  }

  /** Checks a code. After MAX_WRONG_CODES wrong ones, refuses until a new code is requested. */
  async verifyCode(code: string, options: { inline: boolean }): Promise<Outcome<DeploymentView>> {
    const r = this.records.current;
    if (!r) return refusal("not_found", "Deployment not found");
    if (!VERIFIABLE.includes(r.state)) {
      return refusal("conflict", `The deployment is in the ${r.state} state; there is no code to verify`, { reason: "deployment_state" });
    }
    if (r.otp.wrongAttempts >= MAX_WRONG_CODES) {
      return refusal("verification_failed", `${MAX_WRONG_CODES} wrong codes: request a new code first`, { reason: "too_many_attempts" });
    }
    const checked = await this.upstream(r).verifyCode(r.phoneNumberId!, code);
    if (!checked.ok) return faultRefusal(checked.fault);
    if (!checked.value) {
      const wrong = r.otp.wrongAttempts + 1;
      await this.transition(r, "WRONG_CODE", `Wrong verification code (${wrong} of ${MAX_WRONG_CODES})`, {
        otp: { ...r.otp, wrongAttempts: wrong },
      });
      return refusal("verification_failed", "Invalid code provided.", { reason: "wrong_code" });
    }
    await this.transition(r, "CODE_VERIFIED", "Code verified", {});
    if (options.inline) await this.runSteps(true);
    else await this.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
    return success(viewOf(this.records.current!));
  }

  async remove(): Promise<Outcome<DeploymentView>> {
    const r = this.records.current;
    if (!r) return refusal("not_found", "Deployment not found");
    if (!DELETABLE.includes(r.state)) {
      return refusal("conflict", `The deployment cannot be deleted because it is in the ${r.state} state.`, { reason: "deployment_state" });
    }
    await this.transition(r, "DELETING", DEFAULT_DETAIL.DELETING, {});
    await this.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
    return success(viewOf(this.records.current!));
  }

  /** Abandons a deployment that never reached a usable state (toKABOLA `add` that failed). */
  async discard(detail: string): Promise<void> {
    const r = this.records.current;
    if (!r || r.state === "DELETED") return;
    await this.storage.deleteAlarm();
    await this.transition(r, "DELETED", detail, {});
  }

  /** The alarm: catches the D1 mirror up, then runs the step that is due. */
  async resume(): Promise<void> {
    const r = this.records.current;
    if (!r) return;
    if (!r.mirrored) await this.mirror(r);
    await this.runSteps(false);
  }

  private get config(): Config {
    return loadConfig(this.env);
  }

  private get log(): Logger {
    return createLogger({ deployment_id: this.records.current?.id });
  }

  private async transition(r: DeploymentRecord, state: DeploymentState, detail: string, patch: Partial<DeploymentRecord>): Promise<DeploymentRecord> {
    const next: DeploymentRecord = { ...r, ...patch, state, detail, updatedAt: Date.now(), mirrored: false };
    this.records.save(next, true);
    this.log.log("info", "deployment_transition", { from: r.state, to: state, detail });
    return this.mirror(next);
  }

  /** Copies the state to D1. A failure leaves `mirrored` false and an alarm to try again. */
  private async mirror(r: DeploymentRecord): Promise<DeploymentRecord> {
    try {
      const keyHash = await mirrorDeployment(this.env.DB, r);
      // Only a READY number's key is cached: leaving READY must close the key's fast path too.
      if (keyHash !== null && r.state !== "READY") await forgetNumberKey(this.env.TOKENS, keyHash);
      const synced = { ...this.records.current!, mirrored: true };
      this.records.save(synced, false);
      return synced;
    } catch (e) {
      this.log.log("error", "deployment_mirror_failed", { error_message: String(e) });
      if ((await this.storage.getAlarm()) === null) await this.storage.setAlarm(Date.now() + 5_000);
      return r;
    }
  }

  /**
   * Runs the due steps: all of them now when `inline` (a client waits for the result), else one,
   * with the next one on an alarm after STEP_DELAY_MS.
   */
  private async runSteps(inline: boolean): Promise<void> {
    for (;;) {
      const r = this.records.current!;
      const step = dueStep(r, Date.now());
      if (!step) {
        if (r.mirrored) await this.storage.deleteAlarm();
        return;
      }
      // The watchdog: if this invocation dies before the step ends, the alarm runs it again.
      await this.storage.setAlarm(Date.now() + 2 * this.config.META_TIMEOUT_MS + 5_000);
      const result = await step.run(r, this.upstream(r), (patch) => this.records.save({ ...this.records.current!, ...patch }, false));
      const current = this.records.current!;
      if (result.ok) {
        const next = await this.transition(current, step.next, step.detail(current), { ...result.value, attempts: 0 });
        if (inline) continue;
        if (dueStep(next, Date.now())) await this.storage.setAlarm(Date.now() + this.config.STEP_DELAY_MS);
        else if (next.mirrored) await this.storage.deleteAlarm();
        return;
      }
      const f = result.fault;
      const attempts = current.attempts + 1;
      if (retryable(f) && attempts < MAX_STEP_ATTEMPTS) {
        this.records.save({ ...current, attempts, detail: `${DEFAULT_DETAIL[current.state]} (retrying: ${f.message})` }, false);
        this.log.log("warn", "deployment_step_retry", { state: current.state, attempts, upstream_code: f.code, trace_id: f.traceId });
        await this.storage.setAlarm(Date.now() + backoffMs(attempts));
        return;
      }
      const why = retryable(f) ? `${f.message} (gave up after ${attempts} attempts)` : f.message;
      await this.transition(current, step.onPermanentFault ?? "ERROR", why, { attempts: 0 });
      if (this.records.current!.mirrored) await this.storage.deleteAlarm();
      return;
    }
  }
}
