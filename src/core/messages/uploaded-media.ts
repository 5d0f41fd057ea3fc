import { fail, ok, type Result } from "../../lib/errors";
import { kvKeys } from "../../stores/kv";
import { deleteUploadedMedia, findUploadedMedia, readUploadedMedia, type UploadedMedia } from "../../stores/uploaded-media";
import type { CoreContext } from "../../config/context";
import { describeInboundMedia, type MediaInfo } from "../inbound/media-info";
import { openMedia } from "../inbound/media";
import { isUploadedMediaId } from "./media-upload";
import type { MediaFile } from "../../upstreams/whatsapp/media";

/**
 * A media id as Meta's `GET/DELETE /{media-id}` takes it: a file the account uploaded (R2), else
 * one a customer sent to the account's numbers. An upload lives 30 days, as at Meta. Another
 * account's upload, an expired one, or one of another number than `?phone_number_id=` is not
 * found, exactly as an id that never existed.
 */
export const UPLOAD_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** An upload this access may use; one it may not (another account's or number's, deleted, expired); or an id Tuma never issued. */
type Lookup = { kind: "uploaded"; media: UploadedMedia } | { kind: "foreign" } | { kind: "absent" };

export async function lookupUpload(ctx: CoreContext, accountId: string, mediaId: string, phoneNumberId?: string): Promise<Lookup> {
  if (!isUploadedMediaId(mediaId)) return { kind: "absent" };
  const media = await findUploadedMedia(ctx.env.MEDIA, mediaId);
  if (!media) return { kind: "foreign" };
  const mine = media.accountId === accountId && (phoneNumberId === undefined || media.phoneNumberId === phoneNumberId);
  return mine && ctx.clock.now() - media.uploadedAt < UPLOAD_LIFETIME_MS ? { kind: "uploaded", media } : { kind: "foreign" };
}

const notFound = (mediaId: string) => fail("not_found", `No media ${mediaId} for this access`);

export async function describeMedia(ctx: CoreContext, accountId: string, mediaId: string, phoneNumberId?: string): Promise<Result<MediaInfo>> {
  const found = await lookupUpload(ctx, accountId, mediaId, phoneNumberId);
  if (found.kind === "foreign") return notFound(mediaId);
  if (found.kind === "uploaded") {
    const { media } = found;
    return ok({ id: media.id, mimeType: media.mimeType, sha256: media.sha256, fileSize: media.fileSize });
  }
  return describeInboundMedia(ctx, accountId, mediaId);
}

/** The file's bytes: an upload from R2, a customer's media from the upstream. */
export async function openMediaFile(ctx: CoreContext, accountId: string, mediaId: string, phoneNumberId?: string): Promise<Result<MediaFile>> {
  const found = await lookupUpload(ctx, accountId, mediaId, phoneNumberId);
  if (found.kind === "foreign") return notFound(mediaId);
  if (found.kind === "absent") return openMedia(ctx, accountId, mediaId);
  const read = await readUploadedMedia(ctx.env.MEDIA, mediaId);
  if (!read) return notFound(mediaId);
  return ok({ body: read.body, contentType: read.media.mimeType, length: read.media.fileSize });
}

/** Deletes an upload of the account (and the upstream ids cached for it); a customer's media is not Tuma's to delete. */
export async function deleteMedia(ctx: CoreContext, accountId: string, mediaId: string, phoneNumberId?: string): Promise<Result<void>> {
  const found = await lookupUpload(ctx, accountId, mediaId, phoneNumberId);
  if (found.kind !== "uploaded") return notFound(mediaId);
  await deleteUploadedMedia(ctx.env.MEDIA, mediaId);
  await ctx.kv.delete(kvKeys.uploadedMediaUpstreamIds(mediaId));
  return ok(undefined);
}
