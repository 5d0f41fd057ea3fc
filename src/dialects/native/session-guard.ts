import type { IRequest } from "itty-router";
import { resolveSession } from "../../core/credentials/sessions";
import { timingSafeEqualText } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import type { RequestContext } from "../dialect";

export const SESSION_COOKIE = "tuma_session";
export const CSRF_HEADER = "X-CSRF-Token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The session id in the request's `Cookie` header, or null. */
export function sessionCookie(request: Request): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * Runs before every native route: a request without an Authorization header but with a live
 * session cookie is authenticated by that session (`rc.session`, read by requireAccount and
 * requireAdmin). A change so authenticated must echo the session's CSRF token, since a browser
 * sends the cookie with any request another site makes it send; logging in is the one exception
 * (it proves a credential of its own). A Bearer request never looks at the cookie.
 */
export async function sessionGuard(request: IRequest, rc: RequestContext): Promise<void> {
  if (request.headers.has("Authorization")) return;
  const sessionId = sessionCookie(request);
  if (!sessionId) return;
  const session = await resolveSession(rc.core, sessionId);
  if (!session) return;
  const login = request.method === "POST" && new URL(request.url).pathname === "/api/v1/session";
  if (!SAFE_METHODS.has(request.method) && !login) {
    const presented = request.headers.get(CSRF_HEADER);
    if (!presented || !timingSafeEqualText(presented, session.csrfToken)) {
      throw new AppError("forbidden", `A change made with the session cookie needs the session's ${CSRF_HEADER} header`);
    }
  }
  rc.session = session;
}
