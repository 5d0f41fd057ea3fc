import type { UpstreamKind } from "../upstreams/whatsapp";
import { retryable, type BusinessProfile, type OtpMethod, type UpstreamFault } from "../upstreams/whatsapp/types";
import type { ErrorCode, ErrorReason } from "../lib/errors";

export const DEPLOYMENT_STATES = [
  "INITIALIZING",
  "CREATING_CLUSTER",
  "CLUSTER_CREATED",
  "CODE_SENT",
  "WRONG_CODE",
  "CODE_VERIFIED",
  "FINALIZING",
  "READY",
  "ERROR",
  "DELETING",
  "DELETED",
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** States a client may delete from; the others are transitional (`conflict-deployment-state`). */
export const DELETABLE: readonly DeploymentState[] = ["CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE", "READY", "ERROR"];
/** States in which a code can be (re)sent. CLUSTER_CREATED is the first send of a deployment that waits for `ask_code`. */
export const CODE_REQUESTABLE: readonly DeploymentState[] = ["CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE"];
export const VERIFIABLE: readonly DeploymentState[] = ["CODE_SENT", "WRONG_CODE"];

export const MAX_WRONG_CODES = 5;
export const RESEND_INTERVAL_MS = 60_000;
/** Tries of one upstream step before the deployment goes to ERROR. */
export const MAX_STEP_ATTEMPTS = 6;

/** Backoff before try `attempt + 1` of a step: 5 s, 10 s, 20 s … capped at 5 min. */
export const backoffMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 300_000);

export const DEFAULT_DETAIL: Record<DeploymentState, string> = {
  INITIALIZING: "Initializing deployment",
  CREATING_CLUSTER: "Adding the number to the WhatsApp Business Account",
  CLUSTER_CREATED: "Number added; waiting for a verification code request",
  CODE_SENT: "Verification code sent",
  WRONG_CODE: "Wrong verification code",
  CODE_VERIFIED: "Code verified",
  FINALIZING: "Registering the number",
  READY: "Deployment ready",
  ERROR: "Deployment failed",
  DELETING: "Deleting deployment",
  DELETED: "Deployment deleted",
};

export interface CreateDeployment {
  id: string;
  accountId: string;
  cc: string;
  number: string;
  wabaId: string;
  verifiedName: string;
  vnameCertificate: string | null;
  pin: string;
  method: OtpMethod;
  language: string;
  /** Send the code as soon as the number is added (Vonage); toKABOLA waits for `ask_code`. */
  autoRequestCode: boolean;
  upstream: UpstreamKind;
  /**
   * A number Meta already added and verified (Embedded Signup): the deployment starts at
   * CODE_VERIFIED with this id, and only registration remains.
   */
  adoptedPhoneNumberId?: string | null;
}

/** Everything the object keeps about its number, in one storage value. */
export interface DeploymentRecord extends CreateDeployment {
  state: DeploymentState;
  detail: string;
  phoneNumberId: string | null;
  registered: boolean;
  otp: { sentAt: number | null; wrongAttempts: number };
  /** Tries of the current step that failed transiently. */
  attempts: number;
  profile: BusinessProfile;
  photoUrl: string | null;
  /** False while the D1 mirror row lags behind this record; the next alarm catches it up. */
  mirrored: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface DeploymentView {
  id: string;
  accountId: string;
  cc: string;
  number: string;
  wabaId: string;
  verifiedName: string;
  phoneNumberId: string | null;
  state: DeploymentState;
  detail: string;
  createdAt: number;
  updatedAt: number;
}

export interface HistoryEntry {
  at: number;
  state: DeploymentState;
  detail: string;
}

/** An RPC outcome: plain data, since class instances (AppError) do not cross the RPC boundary. */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; reason?: ErrorReason; retryAfterSeconds?: number };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refusal = (code: ErrorCode, message: string, extra: { reason?: ErrorReason; retryAfterSeconds?: number } = {}): Outcome<never> => ({
  ok: false,
  code,
  message,
  ...extra,
});

export function viewOf(r: DeploymentRecord): DeploymentView {
  return {
    id: r.id,
    accountId: r.accountId,
    cc: r.cc,
    number: r.number,
    wabaId: r.wabaId,
    verifiedName: r.verifiedName,
    phoneNumberId: r.phoneNumberId,
    state: r.state,
    detail: r.detail,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** A fault during a call the client waits for: its input, or the upstream, is to blame. */
export function faultRefusal(f: UpstreamFault, reason?: ErrorReason): Outcome<never> {
  if (f.kind === "invalid_input") return refusal("invalid_request", f.message, reason ? { reason } : {});
  return refusal("upstream_failure", f.message, retryable(f) ? { retryAfterSeconds: 30 } : {});
}
