import { verifyDevKey } from "../core/credentials/dev-keys";
import { AppError, unwrap } from "../lib/errors";
import { admitAccount } from "./bearer";
import type { RequestContext } from "./dialect";

/**
 * The key pair in `Authorization: Basic base64(key:secret)` (EngageLab's dev_key:dev_secret,
 * Vonage's api_key:api_secret: the same credential), or null when garbled.
 */
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
 * The account behind `Authorization: Basic` (the account's key pair), admitted past its rate
 * limit; `garbled` is the dialect's words for a missing or unreadable header.
 */
export async function requireBasicAccount(request: Request, rc: RequestContext, garbled: string): Promise<string> {
  const credentials = basicCredentials(request.headers.get("Authorization"));
  if (!credentials) throw new AppError("unauthorized", garbled);
  return admitAccount(rc, unwrap(await verifyDevKey(rc.core, credentials.devKey, credentials.devSecret)));
}
