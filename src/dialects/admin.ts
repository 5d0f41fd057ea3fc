import { AppError } from "../lib/errors";
import { timingSafeEqualText } from "../lib/crypto";
import { bearerToken } from "../lib/http";
import type { RequestContext } from "./dialect";

/**
 * The operator's routes (`/api/v1/admin/…`): `Authorization: Bearer <ADMIN_TOKEN>`, compared in
 * constant time. Without ADMIN_TOKEN configured the admin API is off (`forbidden`).
 */
export function requireAdmin(request: Request, rc: RequestContext): void {
  const expected = rc.core.config.ADMIN_TOKEN;
  if (!expected) throw new AppError("forbidden", "The admin API is disabled: set the ADMIN_TOKEN secret");
  const presented = bearerToken(request);
  if (!presented || !timingSafeEqualText(presented, expected)) {
    throw new AppError("unauthorized", "Missing or wrong admin token");
  }
}
