import * as z from "zod";
import { MEDIA_UPLOAD_MAX_BYTES, uploadMedia } from "../../core/messages/media-upload";
import { deleteMedia, describeMedia, openMediaFile } from "../../core/messages/uploaded-media";
import { AppError, unwrap, type FieldIssue, type Result } from "../../lib/errors";
import { json, readMultipartBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { CLOUD_API_BASE, cloudApiRouter, requireGraphAccount } from "./router";
import { MEDIA_FILE_RESPONSE, mediaResponse } from "../media-response";
import { uploadedFilePart } from "../media-upload-form";

/**
 * Media as Meta serves it: `POST /{phone-number-id}/media` stores an upload (R2, 30 days);
 * `GET /{media-id}` gives its type, hash, size and a `url`, fetched with the same access token (as
 * Meta's is); `DELETE /{media-id}` removes an upload. The same GET serves the media customers sent
 * to the account's numbers (Meta keeps those 7 days). Another account's id is Meta's 100/33.
 */

export const MediaObject = z.object({
  messaging_product: z.literal("whatsapp"),
  id: z.string(),
  url: z.string().describe("Download it with `Authorization: Bearer <access token>`"),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.number().int().optional(),
});

/** `?phone_number_id=`: the media must belong to that number (Meta's check). */
const ofNumber = (request: Request) => new URL(request.url).searchParams.get("phone_number_id") ?? undefined;

/** `GET /{id}` for an id that is not one of the account's numbers: a media object, or the not-found of `numberLookup`. */
export async function mediaObject(request: Request, rc: RequestContext, accountId: string, id: string, numberLookup: Result<unknown>): Promise<Response> {
  const media = await describeMedia(rc.core, accountId, id, ofNumber(request));
  if (!media.ok) unwrap(numberLookup);
  const info = unwrap(media);
  const url = new URL(request.url);
  return json({
    messaging_product: "whatsapp",
    id: info.id,
    url: `${url.origin}${url.pathname.replace(/\/$/, "")}/download`,
    mime_type: info.mimeType,
    ...(info.sha256 ? { sha256: info.sha256 } : {}),
    ...(info.fileSize !== null ? { file_size: info.fileSize } : {}),
  });
}

cloudApiRouter.get("/:version/:mediaId/download", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  return mediaResponse(unwrap(await openMediaFile(rc.core, accountId, request.params.mediaId!)));
});

cloudApiRouter.delete("/:version/:mediaId", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  unwrap(await deleteMedia(rc.core, accountId, request.params.mediaId!, ofNumber(request)));
  return json({ success: true });
});

declareRoute({
  method: "delete",
  operationId: "cloudApiDeleteMedia",
  path: `${CLOUD_API_BASE}/{version}/{id}`,
  tag: "Meta Cloud API",
  summary: "Delete an uploaded media (optionally `?phone_number_id=`, which must be the number it was uploaded under)",
  security: "cloud_api_token",
  responses: {
    200: { description: "Deleted", schema: z.object({ success: z.literal(true) }) },
    400: { description: "Not an upload of this account (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
  },
});

declareRoute({
  method: "get",
  operationId: "cloudApiDownloadMedia",
  path: `${CLOUD_API_BASE}/{version}/{media_id}/download`,
  tag: "Meta Cloud API",
  summary: "Download a media (the `url` of GET /{media-id}): an upload, or a customer's media; with the access token",
  security: "cloud_api_token",
  responses: {
    200: MEDIA_FILE_RESPONSE,
    400: { description: "Not a media of this account, or expired (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
  },
});

/** `POST /{phone-number-id}/media`: Meta's multipart upload (`messaging_product`, `file`, `type`; `type` defaults to the file part's own). */
cloudApiRouter.post("/:version/:phoneNumberId/media", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  const form = await readMultipartBody(request, MEDIA_UPLOAD_MAX_BYTES);
  const file = await uploadedFilePart(form);
  const issues: FieldIssue[] = [];
  if (form.get("messaging_product") !== "whatsapp") issues.push({ field: "messaging_product", kind: "invalid_value", reason: 'must be "whatsapp"' });
  if (!file) issues.push({ field: "file", kind: "required", reason: "must be a file part" });
  if (issues.length || !file) throw new AppError("invalid_request", "Invalid upload", { issues });
  return json(unwrap(await uploadMedia(rc.core, accountId, request.params.phoneNumberId!, file)));
});

declareRoute({
  method: "post",
  operationId: "cloudApiUploadMedia",
  path: `${CLOUD_API_BASE}/{version}/{phone_number_id}/media`,
  tag: "Meta Cloud API",
  summary: "Upload a file to send by id (multipart: messaging_product=whatsapp, file, type)",
  description:
    "Meta's types and sizes: image/jpeg, image/png 5 MB; video/mp4, video/3gpp and audio 16 MB; documents 16 MB (Meta: 100 MB; the Worker's memory bounds it); image/webp (stickers) 500 KB. " +
    "Tuma keeps the file 30 days (R2), as Meta keeps an uploaded id; a send that names the id gets it to Meta for the sending number.",
  security: "cloud_api_token",
  responses: {
    200: { description: "The media id", schema: z.object({ id: z.string() }) },
    400: { description: "Invalid parameter (100), another account's number (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
    413: { description: "Too large", schema: GraphErrorSchema },
  },
});
