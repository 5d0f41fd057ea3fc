import { IttyRouter, type IRequest } from "itty-router";
import type { z } from "zod";
import { resolveVonageJwt } from "../../core/credentials/vonage-auth";
import { AppError, unwrap, type ErrorReason } from "../../lib/errors";
import { bearerToken } from "../../lib/http";
import { parseWith } from "../../lib/validation";
import { admitAccount } from "../bearer";
import type { RequestContext } from "../dialect";

export const VONAGE_BASE = "/vonage/v0.1/whatsapp-manager";

/** The Vonage dialect's router; each `*-routes.ts` module beside this one adds its routes. */
export const vonageRouter = IttyRouter<IRequest, [RequestContext]>({ base: VONAGE_BASE });

/** The account behind `Authorization: Bearer <JWT>` (see core/vonage-auth.ts). */
export async function requireVonageAccount(request: Request, rc: RequestContext): Promise<string> {
  const token = bearerToken(request);
  if (!token) throw new AppError("unauthorized", "Missing bearer JWT");
  return admitAccount(rc, unwrap(await resolveVonageJwt(rc.core, token)));
}

/**
 * Validates with the dialect's errors, for a route's `read`: malformed JSON is `invalid-json`
 * (400, from reading the body), a valid body with bad fields is `unprocessable` (422), or
 * `unprocessable-profile-update` when `reason` is "profile".
 */
export const vonageParse =
  (reason?: ErrorReason) =>
  <S extends z.ZodType>(schema: S, data: unknown): z.output<S> => {
    const parsed = parseWith(schema, data);
    if (!parsed.ok) throw new AppError("invalid_request", parsed.error.message, { ...parsed.error.details, reason });
    return parsed.value;
  };
