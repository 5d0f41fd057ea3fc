/**
 * What the Deployment Durable Object needs from WhatsApp, whoever provides it: Meta's Cloud API
 * or the sandbox. Expected failures come back as values; a fault says whether retrying can help.
 */
export type OtpMethod = "SMS" | "VOICE";

export interface UpstreamFault {
  /** Timeouts, 5xx, 429 and Meta's transient codes: worth retrying with backoff. */
  transient: boolean;
  /** The client sent something the upstream refuses (bad certificate, bad image, bad profile field). */
  invalidInput?: boolean;
  /** A sentence a person understands; it becomes the deployment's detail. */
  message: string;
  /** The upstream's own code (Meta's error code), for the logs. */
  code?: number | string;
  traceId?: string;
}

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
}

/** Meta's message object (src/core/messages/canonical.ts), as sent. */
export interface OutboundMessage {
  messaging_product: "whatsapp";
  to: string;
  type: string;
  [field: string]: unknown;
}
