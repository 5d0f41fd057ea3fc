import { IttyRouter, type IRequest } from "itty-router";
import * as z from "zod";
import { resolveNumberKey, resolveSendingNumber } from "../../core/credentials/number-keys";
import { AppError, unwrap } from "../../lib/errors";
import { checkFields } from "../../lib/validation";
import { admitAccount } from "../bearer";
import type { RequestContext } from "../dialect";

export const LAM_BASE = "/lam";

/** LAfricaMobile's API (360dialog On-Premise); each `*-routes.ts` module beside this one adds its routes. */
export const lamRouter = IttyRouter<IRequest, [RequestContext]>({ base: LAM_BASE });

/** LAfricaMobile's header, and 360dialog's, which the same clients may still send. */
const KEY_HEADERS = ["LAM-API-KEY", "D360-API-KEY"] as const;

function presentedKey(request: Request): string {
  for (const name of KEY_HEADERS) {
    const value = request.headers.get(name)?.trim();
    if (value) return value;
  }
  throw new AppError("unauthorized", "Missing API key: send it in the LAM-API-KEY header");
}

/** The number behind the request's API key, whatever its state (health). */
export async function requireNumber(request: Request, rc: RequestContext) {
  const owner = unwrap(await resolveNumberKey(rc.core, presentedKey(request)));
  await admitAccount(rc, owner.accountId);
  return owner;
}

/** The READY number behind the request's API key (sends). */
export async function requireSendingNumber(request: Request, rc: RequestContext) {
  const owner = unwrap(await resolveSendingNumber(rc.core, presentedKey(request)));
  await admitAccount(rc, owner.accountId);
  return owner;
}

/** Validates data with LAM's field names; a missing value says `is required` (its 1008). */
export function lamParse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const checked = checkFields(schema, data);
  if (checked.ok) return checked.value;
  const issues = checked.issues.map((i) => (i.kind === "required" ? { ...i, reason: "is required" } : i));
  throw new AppError("invalid_request", `Invalid request: ${issues.map((i) => i.field).join(", ")}`, { issues });
}
