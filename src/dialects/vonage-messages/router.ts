import { IttyRouter, type IRequest } from "itty-router";
import { resolveVonageJwt } from "../../core/credentials/vonage-auth";
import { AppError, unwrap } from "../../lib/errors";
import { bearerToken } from "../../lib/http";
import { requireBasicAccount } from "../basic-auth";
import { admitAccount } from "../bearer";
import type { RequestContext } from "../dialect";

/** Vonage's Messages API is `https://api.nexmo.com/v1/messages`: a client sets its SDK's API host to `https://<tuma>/vonage`. */
export const VONAGE_MESSAGES_BASE = "/vonage/v1/messages";

export const vonageMessagesRouter = IttyRouter<IRequest, [RequestContext]>({ base: VONAGE_MESSAGES_BASE });

/**
 * The account behind the request, as Vonage's Messages API accepts it: `Bearer <JWT>` signed RS256
 * with the application's private key, or `Basic base64(api_key:api_secret)`.
 */
export async function requireMessagesAccount(request: Request, rc: RequestContext): Promise<string> {
  const header = request.headers.get("Authorization");
  if (header && /^Basic\s/i.test(header)) {
    return requireBasicAccount(request, rc, "Authorization must be Basic base64(api_key:api_secret)");
  }
  const token = bearerToken(request);
  if (!token) throw new AppError("unauthorized", "Missing credentials: Bearer <JWT> or Basic api_key:api_secret");
  return admitAccount(rc, unwrap(await resolveVonageJwt(rc.core, token)));
}

/** Reads and validates a JSON body: not JSON is `malformed_body`, bad fields `invalid_request` naming each field. */
