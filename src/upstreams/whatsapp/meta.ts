import { describeError, type Logger } from "../../lib/log";
import { fetchClientUrl, RefusedUrlError } from "../../lib/url-policy";
import { graphRequest, type GraphEndpoint, type GraphRequest } from "./graph-http";
import { WRONG_CODE_CODES } from "./meta-errors";
import { metaTemplateCalls } from "./meta-templates";
import { done, fault, retryable, type BusinessProfile, type UpstreamResult, type WhatsAppUpstream } from "./types";

export interface MetaSettings extends GraphEndpoint {
  accessToken: string | undefined;
  appId: string | undefined;
  /** Client image URLs follow the production URL policy. */
  production: boolean;
}

/** A send Meta refused with a transient code is tried this many times, with this backoff, within the request. */
export const SEND_ATTEMPTS = 3;
const SEND_BACKOFF_MS = 150;

const PROFILE_FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

/** The Cloud API calls of reference §3–4. Every fault is logged with Meta's code and trace id. */
export function metaUpstream(settings: MetaSettings, log: Logger): WhatsAppUpstream {
  const call = <T>(method: string, path: string, init: GraphRequest = {}): Promise<UpstreamResult<T>> =>
    settings.accessToken
      ? graphRequest<T>(settings, log, method, path, { ...init, headers: { Authorization: `Bearer ${settings.accessToken}`, ...init.headers } })
      : Promise.resolve(fault({ kind: "permanent", message: "The Meta upstream is not configured (META_ACCESS_TOKEN)" }));
  const success = <T>(r: UpstreamResult<T>): UpstreamResult<void> => (r.ok ? done(undefined) : r);

  return {
    async addNumber({ wabaId, cc, number, verifiedName }) {
      const r = await call<{ id: string }>("POST", `${wabaId}/phone_numbers`, {
        json: { cc, phone_number: number, verified_name: verifiedName },
      });
      return r.ok ? done({ phoneNumberId: r.value.id }) : r;
    },
    requestCode: async (id, method, language) =>
      success(await call("POST", `${id}/request_code`, { json: { code_method: method, language } })),
    async verifyCode(id, code) {
      const r = await call("POST", `${id}/verify_code`, { json: { code } });
      if (r.ok) return done(true);
      return typeof r.fault.code === "number" && WRONG_CODE_CODES.has(r.fault.code) ? done(false) : r;
    },
    register: async (id, pin) =>
      success(await call("POST", `${id}/register`, { json: { messaging_product: "whatsapp", pin } })),
    subscribeApp: async (wabaId) => success(await call("POST", `${wabaId}/subscribed_apps`)),
    async getProfile(id) {
      const r = await call<{ data: (BusinessProfile & { profile_picture_url?: string })[] }>("GET", `${id}/whatsapp_business_profile`, {
        query: { fields: PROFILE_FIELDS },
      });
      if (!r.ok) return r;
      const { profile_picture_url, ...profile } = r.value.data[0] ?? {};
      delete (profile as { messaging_product?: string }).messaging_product;
      return done({ profile, photoUrl: profile_picture_url ?? null });
    },
    updateProfile: async (id, changes) =>
      success(await call("POST", `${id}/whatsapp_business_profile`, { json: { messaging_product: "whatsapp", ...changes } })),
    async setProfilePhoto(id, imageUrl) {
      if (!settings.appId) return fault({ kind: "permanent", message: "Profile photos need META_APP_ID (resumable upload)" });
      const image = await fetchImage(imageUrl, settings, log);
      if (!image.ok) return image;
      const session = await call<{ id: string }>("POST", `${settings.appId}/uploads`, {
        query: { file_name: image.value.name, file_length: String(image.value.bytes.byteLength), file_type: image.value.type },
      });
      if (!session.ok) return session;
      // The data step takes `Authorization: OAuth`, not Bearer (reference §4.2).
      const handle = await call<{ h: string }>("POST", session.value.id, {
        body: image.value.bytes,
        headers: { Authorization: `OAuth ${settings.accessToken}`, file_offset: "0" },
      });
      if (!handle.ok) return handle;
      return success(
        await call("POST", `${id}/whatsapp_business_profile`, {
          json: { messaging_product: "whatsapp", profile_picture_handle: handle.value.h },
        }),
      );
    },
    deregister: async (id) => success(await call("POST", `${id}/deregister`)),
    async sendMessage(id, message, options) {
      for (let attempt = 1; ; attempt++) {
        const r = await call<{ messages?: { id?: string }[] }>("POST", `${id}/messages`, { json: message });
        if (r.ok) {
          const wamid = r.value.messages?.[0]?.id;
          return wamid ? done({ wamid }) : fault({ kind: "permanent", message: "Meta accepted the message without an id" });
        }
        // Only retry what Meta answered with a code: after a timeout it may have accepted the message.
        if (!retryable(r.fault) || r.fault.code === undefined || attempt >= SEND_ATTEMPTS || options?.retry === false) return r;
        await new Promise((resolve) => setTimeout(resolve, SEND_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    },
    async uploadMedia(id, file) {
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", file.type);
      form.set("file", new Blob([file.bytes], { type: file.type }), file.filename);
      const r = await call<{ id?: string }>("POST", `${id}/media`, { body: form });
      if (!r.ok) return r;
      return r.value.id ? done({ id: r.value.id }) : fault({ kind: "permanent", message: "Meta accepted the upload without an id" });
    },
    markRead: async (id, wamid, typing) =>
      success(
        await call("POST", `${id}/messages`, {
          json: { messaging_product: "whatsapp", status: "read", message_id: wamid, ...(typing ? { typing_indicator: { type: "text" } } : {}) },
        }),
      ),
    ...metaTemplateCalls(call),
  };
}

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The client's image, under the client URL policy at every redirect. */
async function fetchImage(imageUrl: string, settings: MetaSettings, log: Logger): Promise<UpstreamResult<{ bytes: ArrayBuffer; type: string; name: string }>> {
  const refuse = (message: string) => fault({ kind: "invalid_input", message });
  let response: Response;
  try {
    response = await fetchClientUrl(imageUrl, settings.production, { signal: AbortSignal.timeout(settings.timeoutMs) });
  } catch (e) {
    if (e instanceof RefusedUrlError) return refuse(`The image URL is not allowed: ${e.message}`);
    log.log("warn", "image_fetch_failed", describeError(e));
    return fault({ kind: "transient", message: "The image could not be downloaded" });
  }
  if (!response.ok) return refuse(`The image URL answered HTTP ${response.status}`);
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "image/png" && type !== "image/jpeg") return refuse("The image must be a PNG or a JPEG");
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength > MAX_PHOTO_BYTES) return refuse("The image is larger than 5 MB");
  return done({ bytes, type, name: type === "image/png" ? "profile.png" : "profile.jpg" });
}
