import { openMedia } from "../../core/inbound/media";
import { unwrap } from "../../lib/errors";
import { declareRoute } from "../../lib/openapi";
import { VonageErrorSchema } from "../vonage/errors";
import { requireMessagesAccount, VONAGE_MESSAGES_BASE, vonageMessagesRouter } from "./router";
import { MEDIA_FILE_RESPONSE, mediaResponse } from "../media-response";

declareRoute({
  method: "get",
  operationId: "vonageMessagesMediaGet",
  path: `${VONAGE_MESSAGES_BASE}/media/{id}`,
  tag: "Vonage Messages",
  summary: "Download the media of a customer's message (the path in an inbound webhook's image.url, file.url…)",
  description: "Only media received by the account's own numbers; Meta keeps inbound media 7 days.",
  security: "vonage_jwt",
  responses: {
    200: MEDIA_FILE_RESPONSE,
    401: { description: "Missing or wrong credentials", schema: VonageErrorSchema },
    404: { description: "Not a media of this account, or expired at Meta", schema: VonageErrorSchema },
  },
});

/** The `url` of an inbound image, video, audio, file or sticker (a path under Tuma's base URL), fetched with the same credentials as sending. */
vonageMessagesRouter.get("/media/:id", async (request, rc) => {
  const accountId = await requireMessagesAccount(request, rc);
  return mediaResponse(unwrap(await openMedia(rc.core, accountId, String(request.params.id))));
});
