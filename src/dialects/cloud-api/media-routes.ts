import * as z from "zod";
import { describeInboundMedia } from "../../core/inbound/media-info";
import { openMedia } from "../../core/inbound/media";
import { MEDIA_UPLOAD_MAX_BYTES, uploadMedia } from "../../core/messages/media-upload";
import { AppError, unwrap, type FieldIssue, type Result } from "../../lib/errors";
import { json, readMultipartBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { CLOUD_API_BASE, cloudApiRouter, requireGraphAccount } from "./router";
import { mediaResponse } from "../media-response";

/**
 * A customer's media, as Meta serves it: `GET /{media-id}` gives its type, hash and a `url`, which
 * is fetched with the same access token (as Meta's is). Only media received by the account's own
 * numbers; Meta keeps inbound media 7 days.
 */

export const MediaObject = z.object({
  messaging_product: z.literal("whatsapp"),
  id: z.string(),
  url: z.string().describe("Download it with `Authorization: Bearer <access token>`"),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.number().int().optional(),
});

/** `GET /{id}` for an id that is not one of the account's numbers: a media object, or the not-found of `numberLookup`. */
export async function mediaObject(request: Request, rc: RequestContext, accountId: string, id: string, numberLookup: Result<unknown>): Promise<Response> {
  const media = await describeInboundMedia(rc.core, accountId, id);
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
  return mediaResponse(unwrap(await openMedia(rc.core, accountId, request.params.mediaId!)));
});

declareRoute({
  method: "get",
  operationId: "cloudApiDownloadMedia",
  path: `${CLOUD_API_BASE}/{version}/{media_id}/download`,
  tag: "Meta Cloud API",
  summary: "Download a customer's media (the `url` of GET /{media-id}), with the access token",
  security: "cloud_api_token",
  responses: {
    200: { description: "The file, with its content type", schema: z.string(), contentType: "application/octet-stream" },
    400: { description: "Not a media of this account, or expired at Meta (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
  },
});

/** `POST /{phone-number-id}/media`: Meta's multipart upload (`messaging_product`, `file`, `type`; `type` defaults to the file part's own). */
cloudApiRouter.post("/:version/:phoneNumberId/media", async (request, rc) => {
  const accountId = await requireGraphAccount(request, rc);
  const form = await readMultipartBody(request, MEDIA_UPLOAD_MAX_BYTES);
  const file = form.get("file");
  const issues: FieldIssue[] = [];
  if (form.get("messaging_product") !== "whatsapp") issues.push({ field: "messaging_product", kind: "invalid_value", reason: 'must be "whatsapp"' });
  if (!(file instanceof File)) issues.push({ field: "file", kind: "required", reason: "must be a file part" });
  if (issues.length || !(file instanceof File)) throw new AppError("invalid_request", "Invalid upload", { issues });
  const declared = form.get("type");
  const type = typeof declared === "string" && declared ? declared : file.type;
  const bytes = new Uint8Array(await file.arrayBuffer());
  return json(unwrap(await uploadMedia(rc.core, accountId, request.params.phoneNumberId!, { bytes, type, filename: file.name || "file" })));
});

declareRoute({
  method: "post",
  operationId: "cloudApiUploadMedia",
  path: `${CLOUD_API_BASE}/{version}/{phone_number_id}/media`,
  tag: "Meta Cloud API",
  summary: "Upload a file to send by id (multipart: messaging_product=whatsapp, file, type)",
  description: "Meta's types and sizes: image/jpeg, image/png 5 MB; video/mp4, video/3gpp and audio 16 MB; documents 16 MB (Meta: 100 MB; the Worker's memory bounds it); image/webp (stickers) 500 KB. Meta keeps the id 30 days.",
  security: "cloud_api_token",
  responses: {
    200: { description: "The media id", schema: z.object({ id: z.string() }) },
    400: { description: "Invalid parameter (100), another account's number (100, subcode 33)", schema: GraphErrorSchema },
    401: { description: "Bad access token (190)", schema: GraphErrorSchema },
    413: { description: "Too large", schema: GraphErrorSchema },
  },
});
