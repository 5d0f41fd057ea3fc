import { fail, ok, type Result } from "../../lib/errors";
import { randomBytes, toHex } from "../../lib/crypto";
import { putUploadedMedia } from "../../stores/uploaded-media";
import type { CoreContext } from "../../config/context";
import { resolveSender } from "./sender";

/**
 * Meta's media types and sizes (reference §5); WebP only as a sticker (static 100 KB, animated
 * 500 KB: the larger is checked). Documents stop at 16 MB here, not Meta's 100 MB: the Worker
 * holds the whole file in its 128 MB of memory, and the multipart parse copies it once more.
 */
const MB = 1024 * 1024;
const WORKER_MAX = 16 * MB;
const DOCUMENTS = [
  "text/plain",
  "application/pdf",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];
const MAX_BYTES: Record<string, number> = {
  "image/jpeg": 5 * MB,
  "image/png": 5 * MB,
  "video/mp4": 16 * MB,
  "video/3gpp": 16 * MB,
  "audio/aac": 16 * MB,
  "audio/amr": 16 * MB,
  "audio/mpeg": 16 * MB,
  "audio/mp4": 16 * MB,
  "audio/ogg": 16 * MB,
  "image/webp": 500 * 1024,
  ...Object.fromEntries(DOCUMENTS.map((t) => [t, WORKER_MAX])),
};

/** The largest file any type allows: a dialect may refuse a bigger body before reading it. */
export const MEDIA_UPLOAD_MAX_BYTES = WORKER_MAX;

export interface UploadFile {
  bytes: Uint8Array;
  /** The MIME type the client declared (`type`, or the file part's own). */
  type: string;
  filename: string;
}

/**
 * Meta's id shape (digits) but never one of Meta's own: 19 digits starting with 9 (Meta's media ids
 * have 15 or 16), so an id Tuma issued is known as such after it is deleted or expired.
 */
const newMediaId = () => `9${String(BigInt(`0x${toHex(randomBytes(8))}`)).padStart(18, "0").slice(-18)}`;
export const isUploadedMediaId = (id: string) => /^9\d{18}$/.test(id);

/**
 * Stores a file for sends by id (in R2, uploaded-media.ts), under one of the account's READY numbers
 * (another account's is not found), after Meta's type and size rules. The upstream gets it when
 * a send first uses it from a number (media-ids.ts).
 */
export async function uploadMedia(ctx: CoreContext, accountId: string, phoneNumberId: string, file: UploadFile, field: (name: string) => string = (n) => n): Promise<Result<{ id: string }>> {
  const sender = await resolveSender(ctx, accountId, phoneNumberId, false, field);
  if (!sender.ok) return sender;
  const type = file.type.split(";")[0]!.trim().toLowerCase();
  const max = MAX_BYTES[type];
  if (max === undefined) {
    return fail("invalid_request", `Unsupported media type ${type}`, { issues: [{ field: field("type"), kind: "invalid_value", reason: `must be one of ${Object.keys(MAX_BYTES).join(", ")}` }] });
  }
  if (file.bytes.byteLength === 0) return fail("invalid_request", "The file is empty", { issues: [{ field: field("file"), kind: "too_short", reason: "must not be empty" }] });
  if (file.bytes.byteLength > max) {
    return fail("invalid_request", `The file is larger than ${max} bytes, the limit for ${type}`, { issues: [{ field: field("file"), kind: "too_long", reason: `must be at most ${max} bytes for ${type}` }] });
  }
  const id = newMediaId();
  const sha256 = toHex(await crypto.subtle.digest("SHA-256", file.bytes));
  await putUploadedMedia(ctx.env.MEDIA, { id, accountId, phoneNumberId: sender.value.phoneNumberId, mimeType: type, sha256, filename: file.filename }, file.bytes);
  return ok({ id });
}
