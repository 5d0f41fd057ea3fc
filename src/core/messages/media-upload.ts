import { fail, ok, type Result } from "../../lib/errors";
import { whatsappUpstream } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { sendFault } from "./send-errors";
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
 * Uploads a file for sends by id, under one of the account's READY numbers (another account's is
 * not found), after Meta's type and size rules. Meta keeps it 30 days; Tuma stores nothing.
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
  const uploaded = await whatsappUpstream(sender.value.upstream, ctx.env, ctx.log, ctx.outbound).uploadMedia(sender.value.phoneNumberId, { ...file, type });
  return uploaded.ok ? ok(uploaded.value) : { ok: false, error: sendFault(uploaded.fault) };
}
