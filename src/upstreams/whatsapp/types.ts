/**
 * What Tuma needs from WhatsApp, whoever provides it: Meta's Cloud API or the sandbox (one
 * switch, in index.ts). Expected failures come back as values; a fault says what kind it is.
 */
export type OtpMethod = "SMS" | "VOICE";

/**
 * What went wrong upstream, as core needs to tell it apart: the adapter maps its provider's codes
 * here (Meta's in meta-errors.ts), so nothing past this layer reads a provider's code.
 */
export type FaultKind =
  /** The number sends faster than its throughput allows: the whole number slows down. */
  | "throughput_limited"
  /** Too many messages to one recipient in a short time: that pair slows down. */
  | "pair_limited"
  /** The app's or the account's call rate: try again shortly. */
  | "rate_limited"
  /** A free-form message outside the customer's 24-hour window. */
  | "window_closed"
  /** The template (name and language) is unknown upstream, or not approved. */
  | "template_missing"
  /** The recipient cannot receive the message (e.g. not on WhatsApp). */
  | "undeliverable"
  /** What was asked for is gone (an expired media file). */
  | "not_found"
  /** The client sent something the upstream refuses (bad certificate, bad image, bad profile field). */
  | "invalid_input"
  /** Timeouts, 5xx and the upstream's passing troubles: worth retrying with backoff. */
  | "transient"
  /** The gateway's own credentials were refused (its access token or permissions), not the client's input. */
  | "auth"
  /** Anything else: retrying will not help. */
  | "permanent";

export interface UpstreamFault {
  kind: FaultKind;
  /** A sentence a person understands; it becomes the deployment's detail. */
  message: string;
  /** The upstream's own code (Meta's error code), carried as data: for the logs and the client's error details. */
  code?: number | string;
  traceId?: string;
}

const RETRYABLE = new Set<FaultKind>(["throughput_limited", "pair_limited", "rate_limited", "transient"]);

/** The same call may succeed later. */
export const retryable = (f: UpstreamFault): boolean => RETRYABLE.has(f.kind);

export type UpstreamResult<T> = { ok: true; value: T } | { ok: false; fault: UpstreamFault };

export const done = <T>(value: T): UpstreamResult<T> => ({ ok: true, value });
export const fault = (f: UpstreamFault): UpstreamResult<never> => ({ ok: false, fault: f });

/** The business profile, with Meta's `vertical` codes (dialects translate their own labels). */
export interface BusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
  websites?: string[];
}

interface NewNumber {
  wabaId: string;
  cc: string;
  number: string;
  verifiedName: string;
  vnameCertificate: string | null;
}

export interface WhatsAppUpstream {
  addNumber(input: NewNumber): Promise<UpstreamResult<{ phoneNumberId: string }>>;
  requestCode(phoneNumberId: string, method: OtpMethod, language: string): Promise<UpstreamResult<void>>;
  /** `false` when the code is wrong: an expected outcome, not a fault. */
  verifyCode(phoneNumberId: string, code: string): Promise<UpstreamResult<boolean>>;
  register(phoneNumberId: string, pin: string): Promise<UpstreamResult<void>>;
  subscribeApp(wabaId: string): Promise<UpstreamResult<void>>;
  getProfile(phoneNumberId: string): Promise<UpstreamResult<{ profile: BusinessProfile; photoUrl: string | null }>>;
  updateProfile(phoneNumberId: string, changes: BusinessProfile): Promise<UpstreamResult<void>>;
  /** Fetches the image at `imageUrl` and makes it the profile photo. */
  setProfilePhoto(phoneNumberId: string, imageUrl: string): Promise<UpstreamResult<void>>;
  deregister(phoneNumberId: string): Promise<UpstreamResult<void>>;
  /**
   * `POST /{phone-number-id}/messages`: the upstream's message id once it accepts the message.
   * `retry: false` answers Meta's first transient fault (a campaign retries through its pacer).
   */
  sendMessage(phoneNumberId: string, message: OutboundMessage, options?: { retry?: boolean }): Promise<UpstreamResult<{ wamid: string }>>;
  /** Uploads a file for sends by id (Meta keeps it 30 days): its media id. */
  uploadMedia(phoneNumberId: string, file: { bytes: Uint8Array; type: string; filename: string }): Promise<UpstreamResult<{ id: string }>>;
  /** Marks a customer's message read (blue ticks), and shows the typing indicator when asked (Meta: `status: "read"`). */
  markRead(phoneNumberId: string, wamid: string, typing: boolean): Promise<UpstreamResult<void>>;
  /**
   * The WABA's templates as the upstream holds them now, to refresh Tuma's copy. The sandbox
   * decides a template's status when it is created and never changes it: it has none to report.
   */
  listTemplates(wabaId: string): Promise<UpstreamResult<UpstreamTemplate[]>>;
  /** Submits a template (its components already checked): its id, and the status and category the upstream gives it. */
  createTemplate(wabaId: string, template: NewTemplate): Promise<UpstreamResult<Pick<UpstreamTemplate, "id" | "status" | "category">>>;
  updateTemplate(templateId: string, changes: { category?: string; components?: unknown[] }): Promise<UpstreamResult<void>>;
  /** Deletes the template's name in every language, or only the template `hsmId` of that name. */
  deleteTemplates(wabaId: string, name: string, hsmId?: string): Promise<UpstreamResult<void>>;
}

/** A message template, with Meta's fields (reference §8). */
export interface UpstreamTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components?: unknown[];
}

type NewTemplate = Omit<UpstreamTemplate, "id" | "status" | "components"> & { components: unknown[] };

/** Meta's message object (src/core/messages/canonical.ts), as sent. */
export interface OutboundMessage {
  messaging_product: "whatsapp";
  to: string;
  type: string;
  [field: string]: unknown;
}
