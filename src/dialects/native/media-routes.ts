import * as z from "zod";
import { openMedia } from "../../core/inbound/media";
import { unwrap } from "../../lib/errors";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";
import { mediaResponse } from "../media-response";

nativeRouter.get("/media/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return mediaResponse(unwrap(await openMedia(rc.core, accountId, String(request.params.id))));
});
declareRoute({
  method: "get",
  path: "/api/v1/media/{id}",
  operationId: "downloadMedia",
  tag: "Native: webhooks",
  summary: "Download a media file a customer sent (the media id of an inbound image, video, audio, document or sticker)",
  description: "Streams the file from Meta with the operator's token, so clients never need it. Only media received by the account's own numbers; Meta keeps inbound media 7 days. Sandbox numbers answer a small generated file.",
  security: "bearer",
  responses: {
    200: { description: "The file, with its content type", schema: z.string(), contentType: "application/octet-stream" },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
    404: { description: "Not a media of this account, or expired at Meta", schema: NativeErrorSchema },
    502: { description: "Meta failed", schema: NativeErrorSchema },
  },
});
