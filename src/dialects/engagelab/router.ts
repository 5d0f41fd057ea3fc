import { IttyRouter, type IRequest } from "itty-router";
import { requireBasicAccount } from "../basic-auth";
import type { RequestContext } from "../dialect";

export const ENGAGELAB_BASE = "/engagelab/v1";

/** The EngageLab dialect's router; each `*-routes.ts` module beside this one adds its routes. */
export const engagelabRouter = IttyRouter<IRequest, [RequestContext]>({ base: ENGAGELAB_BASE });

/**
 * The account behind the request's Basic credentials. Missing or garbled: 2001. Unknown key or
 * wrong secret: 2001 too ("no valid token"). A revoked key with its right secret: 2002 ("disabled").
 */
export async function requireEngagelabAccount(request: Request, rc: RequestContext): Promise<string> {
  return requireBasicAccount(request, rc, "Authorization must be Basic base64(dev_key:dev_secret)");
}
