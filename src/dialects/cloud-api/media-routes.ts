import * as z from "zod";
import { describeInboundMedia } from "../../core/inbound/media-info";
import { openMedia } from "../../core/inbound/media";
import type { Result } from "../../lib/errors";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { documentRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { CLOUD_API_BASE, cloudApiRouter, requireGraphAccount } from "./router";

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
  const file = unwrap(await openMedia(rc.core, accountId, request.params.mediaId!));
  const headers: Record<string, string> = { "Content-Type": file.contentType, "Cache-Control": "private, max-age=300" };
  if (file.length !== null) headers["Content-Length"] = String(file.length);
  return new Response(file.body, { headers });
});

documentRoute({
  method: "get",
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
