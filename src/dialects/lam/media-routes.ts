import * as z from "zod";
import { MEDIA_UPLOAD_MAX_BYTES, uploadMedia } from "../../core/messages/media-upload";
import { deleteMedia, openMediaFile } from "../../core/messages/uploaded-media";
import { AppError, unwrap } from "../../lib/errors";
import { json, readMultipartBody, readRawBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LAM_BASE, lamRouter, requireNumber, requireSendingNumber } from "./router";
import { MEDIA_FILE_RESPONSE, mediaResponse } from "../media-response";
import { uploadedFilePart } from "../media-upload-form";

/**
 * 360dialog's `/media` with the number's key: an upload is the On-Premise body (the file's bytes,
 * with its Content-Type) or 360dialog v2's multipart (`messaging_product`, `file`), answered in
 * the matching shape (kept 30 days). `GET /media/{id}` downloads the number's upload or a
 * customer's media received by the account; `DELETE /media/{id}` removes the number's upload.
 */

async function uploaded(request: Request): Promise<{ bytes: Uint8Array; type: string; filename: string; multipart: boolean }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) return { bytes: await readRawBody(request, MEDIA_UPLOAD_MAX_BYTES), type, filename: "file", multipart: false };
  const form = await readMultipartBody(request, MEDIA_UPLOAD_MAX_BYTES);
  const file = await uploadedFilePart(form);
  if (!file) throw new AppError("invalid_request", "Invalid upload", { issues: [{ field: "file", kind: "required", reason: "is required" }] });
  return { ...file, multipart: true };
}

lamRouter.post("/media", async (request, rc) => {
  const number = await requireSendingNumber(request, rc);
  const { multipart, ...file } = await uploaded(request);
  const { id } = unwrap(await uploadMedia(rc.core, number.accountId, number.phoneNumberId, file, (name) => (name === "type" && !multipart ? "Content-Type" : name)));
  return json(multipart ? { id } : { media: [{ id }], meta: LAM_META }, 201);
});

lamRouter.get("/media/:id", async (request, rc) => {
  const number = await requireNumber(request, rc);
  return mediaResponse(unwrap(await openMediaFile(rc.core, number.accountId, String(request.params.id), number.phoneNumberId ?? "")));
});

lamRouter.delete("/media/:id", async (request, rc) => {
  const number = await requireNumber(request, rc);
  unwrap(await deleteMedia(rc.core, number.accountId, String(request.params.id), number.phoneNumberId ?? ""));
  return json({ meta: LAM_META });
});

const err = (description: string) => ({ description, schema: LamErrorSchema });
declareRoute({
  method: "post",
  operationId: "lamUploadMedia",
  path: `${LAM_BASE}/media`,
  tag: "LAfricaMobile / 360dialog",
  summary: "Upload a file to send by id: the bytes with their Content-Type (On-Premise), or multipart messaging_product + file (360dialog v2)",
  description: "Meta's types and sizes (jpeg/png 5 MB, video and audio 16 MB, documents 16 MB (Meta: 100 MB; the Worker's memory bounds it), webp stickers 500 KB). Also at /lam/v1/media.",
  security: "lam_api_key",
  responses: {
    201: { description: "On-Premise `{media: [{id}], meta}`, or v2's `{id}`", schema: z.union([z.object({ media: z.array(z.object({ id: z.string() })), meta: LamMetaSchema }), z.object({ id: z.string() })]) },
    400: err("Unsupported type or too large for it (1009), missing file (1008)"),
    401: err("Missing or unknown API key (1005)"),
    409: err("Number not READY (1011)"),
    413: err("Over 16 MB"),
  },
});
declareRoute({
  method: "get",
  operationId: "lamDownloadMedia",
  path: `${LAM_BASE}/media/{id}`,
  tag: "LAfricaMobile / 360dialog",
  summary: "Download the number's upload, or a customer's media (the id in an inbound webhook) received by the account's numbers",
  security: "lam_api_key",
  responses: {
    200: MEDIA_FILE_RESPONSE,
    401: err("Missing or unknown API key (1005)"),
    404: err("Not a media of this account, or expired at Meta (1006)"),
  },
});
declareRoute({
  method: "delete",
  operationId: "lamDeleteMedia",
  path: `${LAM_BASE}/media/{id}`,
  tag: "LAfricaMobile / 360dialog",
  summary: "Delete a file the number uploaded",
  description: "Also at /lam/v1/media/{id}.",
  security: "lam_api_key",
  responses: {
    200: { description: "Deleted", schema: z.object({ meta: LamMetaSchema }) },
    401: err("Missing or unknown API key (1005)"),
    404: err("Not an upload of this number (1006)"),
  },
});
