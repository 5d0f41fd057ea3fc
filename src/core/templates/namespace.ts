import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { operatorWabaId } from "../numbers/waba";

/**
 * Template names on a WABA several accounts share. Meta names templates per WABA and deletes them
 * by name, so on the operator's WABA (META_WABA_ID) each account's names carry its own prefix,
 * `t<id_user>_`: the account sees and uses its plain names, Meta holds `t614949709_welcome`, and
 * one account can neither squat nor delete another's name. id_user is digits only, so the first
 * `_` ends the prefix and two accounts' names never meet. On an account's own WABA (Embedded
 * Signup) names go to Meta as they are.
 */

/** Meta's longest template name. */
const META_NAME_MAX = 512;

const prefixOf = (accountId: string) => `t${accountId}_`;

/** The name Meta knows the account's template `name` by, on `wabaId`. */
export function upstreamTemplateName(ctx: CoreContext, accountId: string, wabaId: string, name: string): string {
  return wabaId === operatorWabaId(ctx) ? `${prefixOf(accountId)}${name}` : name;
}

/** The upstream name of a new template, or why the plain name is too long once prefixed. */
export function newUpstreamName(ctx: CoreContext, accountId: string, wabaId: string, name: string): Result<string> {
  const upstream = upstreamTemplateName(ctx, accountId, wabaId, name);
  if (upstream.length <= META_NAME_MAX) return ok(upstream);
  const max = META_NAME_MAX - (upstream.length - name.length);
  return fail("invalid_request", `The template name is too long: at most ${max} characters`, {
    issues: [{ field: "name", kind: "too_long", reason: `must be at most ${max} characters` }],
  });
}
