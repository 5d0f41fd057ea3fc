import { IttyRouter, type IRequest } from "itty-router";
import { verifyDevKey } from "../../core/credentials/dev-keys";
import { AppError, unwrap } from "../../lib/errors";
import { admitAccount } from "../bearer";
import type { RequestContext } from "../dialect";

export const ENGAGELAB_BASE = "/engagelab/v1";

/** The EngageLab dialect's router; each `*-routes.ts` module beside this one adds its routes. */
export const engagelabRouter = IttyRouter<IRequest, [RequestContext]>({ base: ENGAGELAB_BASE });

/** `dev_key:dev_secret` from `Authorization: Basic base64(dev_key:dev_secret)`, or null when garbled. */
export function basicCredentials(header: string | null): { devKey: string; devSecret: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]!.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { devKey: decoded.slice(0, colon), devSecret: decoded.slice(colon + 1) };
}

/**
 * The account behind the request's Basic credentials. Missing or garbled: 2001. Unknown key or
 * wrong secret: 2001 too ("no valid token"). A revoked key with its right secret: 2002 ("disabled").
 */
export async function requireEngagelabAccount(request: Request, rc: RequestContext): Promise<string> {
  const credentials = basicCredentials(request.headers.get("Authorization"));
  if (!credentials) throw new AppError("unauthorized", "Authorization must be Basic base64(dev_key:dev_secret)");
  return admitAccount(rc, unwrap(await verifyDevKey(rc.core, credentials.devKey, credentials.devSecret)));
}
