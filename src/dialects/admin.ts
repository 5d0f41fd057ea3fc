import { verifyAdminToken } from "../core/credentials/sessions";
import { AppError, unwrap } from "../lib/errors";
import { bearerToken } from "../lib/http";
import type { RequestContext } from "./dialect";

/**
 * The operator's routes (`/api/v1/admin/…`): `Authorization: Bearer <ADMIN_TOKEN>`, compared in
 * constant time, or an operator console session (the native dialect's session guard put it on
 * `rc`). Without ADMIN_TOKEN configured the admin API is off (`forbidden`). Returns the actor the
 * audit log names.
 */
export function requireAdmin(request: Request, rc: RequestContext): string {
  const token = bearerToken(request);
  if (!token && rc.session) {
    // The guard only keeps an operator session while ADMIN_TOKEN is the one it was opened with.
    if (rc.session.role !== "admin") throw new AppError("forbidden", "This session belongs to an account; the operator's routes need an operator session");
    return rc.session.actor;
  }
  return unwrap(verifyAdminToken(rc.core, token));
}
