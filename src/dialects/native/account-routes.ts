import * as z from "zod";
import { rotateAccountKey, viewAccount } from "../../core/accounts/accounts";
import { accountWebhookStatuses, setAccountWebhookStatuses } from "../../core/client-webhooks/endpoints";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import type { RequestContext } from "../dialect";
import { AccountSchema, accountJson } from "./account-json";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

nativeRouter.get("/account", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(accountJson(unwrap(await viewAccount(rc.core, accountId))));
});
declareRoute({
  method: "get",
  path: "/api/v1/account",
  operationId: "getAccount",
  tag: "Native: account",
  summary: "The account: name, plan and its expiry, whether it is suspended",
  security: "bearer",
  responses: {
    200: { description: "The account", schema: AccountSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});

const RotateKeyResponse = z.object({
  id_user: z.string(),
  key_user: z.string().describe("The new key, shown once. Every token issued before is revoked."),
});

nativeRouter.post("/account/rotate-key", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const keyUser = unwrap(await rotateAccountKey(rc.core, accountId));
  rc.log.log("info", "account_key_rotated", { account_id: accountId });
  return json({ id_user: accountId, key_user: keyUser });
});
declareRoute({
  method: "post",
  path: "/api/v1/account/rotate-key",
  operationId: "rotateAccountKey",
  tag: "Native: account",
  summary: "Issue a new key_user and revoke every token of the account",
  description: "Cuts off a leaked key at once: tokens issued before this call stop working immediately.",
  security: "bearer",
  responses: {
    200: { description: "The new key_user, shown once", schema: RotateKeyResponse },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});

const TOKABOLA_WEBHOOK = WEBHOOK_FORMATS.endpointFormat("tokabola", "account-webhook");

const Settings = z.object({
  tokabola_status_webhooks: z
    .boolean()
    .describe("Message statuses also go to the toKABOLA webhook, as GETs with action_type=status (not part of toKABOLA's API). Off by default."),
});
const SettingsChange = z.strictObject({ tokabola_status_webhooks: z.boolean({ error: "must be true or false" }) });

const settingsOf = async (rc: RequestContext, accountId: string) => ({
  tokabola_status_webhooks: await accountWebhookStatuses(rc.core, TOKABOLA_WEBHOOK, accountId),
});

nativeRouter.get("/account/settings", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(await settingsOf(rc, accountId));
});

const settingsErrors = { 401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema } };
declareRoute({
  method: "get",
  path: "/api/v1/account/settings",
  operationId: "getAccountSettings",
  tag: "Native: account",
  summary: "The account's settings",
  security: "bearer",
  responses: { 200: { description: "Settings", schema: Settings }, ...settingsErrors },
});
const updateSettingsRoute = declareRoute({
  method: "put",
  path: "/api/v1/account/settings",
  operationId: "updateAccountSettings",
  tag: "Native: account",
  summary: "Change the account's settings",
  description: "`tokabola_status_webhooks: true` sends message statuses to the toKABOLA webhook as GETs with `action_type=status`; off, it gets customer messages only.",
  security: "bearer",
  body: SettingsChange,
  responses: {
    200: { description: "The settings as they are now", schema: Settings },
    400: { description: "Not JSON, or a setting missing or not a boolean", schema: NativeErrorSchema },
    ...settingsErrors,
  },
});
nativeRouter.put("/account/settings", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body: change } = await updateSettingsRoute.read(request);
  await setAccountWebhookStatuses(rc.core, TOKABOLA_WEBHOOK, accountId, change.tokabola_status_webhooks);
  return json(await settingsOf(rc, accountId));
});

