import * as z from "zod";
import { createAccount, maskSecret, viewAccount, updateAccountInfo, verifyAccountKey, type AccountRow } from "../../../core/accounts/accounts";
import { subscriptionOf } from "../../../core/plans/subscription";
import { issueToken } from "../../../core/credentials/tokens";
import { utcDateAndTime } from "../../../lib/clock";
import { unwrap } from "../../../lib/errors";
import { clientIp } from "../../../lib/http";
import { rateLimit } from "../../../core/limits/rate-limits";
import { clientUrl } from "../../../lib/validation";
import { WEBHOOK_FORMATS } from "../../client-webhook-formats";
import { defineAction, defineUpdateTarget } from "../action";

const accountName = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");
const description = z.string().trim().max(500, "must be at most 500 characters");

/** The account's `webhook` receives its events in toKABOLA's format, as one endpoint kept in step with it. */
const ACCOUNT_WEBHOOK = WEBHOOK_FORMATS.endpointFormat("tokabola", "account-webhook");

const infoFields = (production: boolean) => ({
  name: accountName,
  description: description.nullish(),
  logourl: clientUrl(production).nullish(),
  webhook: clientUrl(production).nullish(),
});

export const signup = defineAction({
  type: "signup",
  summary: "Create an account: returns id_user and key_user (shown once); starts a 3-day trial",
  auth: false,
  body: ({ production }) =>
    z.object({ type: z.literal("signup"), signup: z.strictObject(infoFields(production)) }),
  data: z.object({
    id_user: z.string(),
    key_user: z.string().describe("Shown once; only its hash is stored"),
    name_user: z.string(),
    type_abonnement: z.string(),
    date_expiration: z.string(),
    time_expiration: z.string(),
  }),
  async run(rc, body, _accountId, request) {
    const { signup: s } = body;
    unwrap(await rateLimit(rc.core, "signup", clientIp(request)));
    const { account, keyUser } = unwrap(
      await createAccount(rc.core, {
        name: s.name,
        description: s.description ?? null,
        logoUrl: s.logourl ?? null,
        webhook: { url: s.webhook ?? null, format: ACCOUNT_WEBHOOK },
      }),
    );
    rc.log.log("info", "account_created", { account_id: account.id });
    const expiry = utcDateAndTime(account.plan_expires_at);
    return {
      status: 201,
      message: "Compte créé avec succès. Conservez key_user : elle ne sera plus affichée.",
      data: {
        id_user: account.id,
        key_user: keyUser,
        name_user: account.name,
        type_abonnement: account.plan,
        date_expiration: expiry.date,
        time_expiration: expiry.time,
      },
    };
  },
});

export const token = defineAction({
  type: "token",
  summary: "Exchange id_user and key_user for a bearer token",
  auth: false,
  body: () =>
    z.object({
      type: z.literal("token"),
      token: z.strictObject({
        id_user: z.union([z.string().trim().regex(/^\d{1,20}$/, "must be a numeric id"), z.number().int().nonnegative()]),
        key_user: z.string().min(1, "is required").max(200),
      }),
    }),
  data: z.object({
    token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().describe("Seconds"),
    expires_at: z.string().describe("ISO 8601, UTC"),
  }),
  async run(rc, body) {
    const accountId = unwrap(await verifyAccountKey(rc.core, String(body.token.id_user), body.token.key_user));
    const issued = await issueToken(rc.core, accountId);
    return {
      message: "Jeton généré avec succès.",
      data: {
        token: issued.token,
        token_type: "Bearer",
        expires_in: issued.expiresIn,
        expires_at: new Date(issued.expiresAt).toISOString(),
      },
    };
  },
});

/** Every field `account` can report, in the seed's order. */
const ACCOUNT_FIELDS = [
  "name_user",
  "desc_user",
  "logo_url",
  "webhook_url",
  "id_user",
  "key_user",
  "date_user",
  "time_user",
  "autorisation",
  "type_abonnement",
  "date_expiration",
  "time_expiration",
] as const;
type AccountField = (typeof ACCOUNT_FIELDS)[number];

function accountView(account: AccountRow, now: number): Record<AccountField, unknown> {
  const created = utcDateAndTime(account.created_at);
  const subscription = subscriptionOf(account, now);
  const expiry = utcDateAndTime(subscription.expiresAt);
  return {
    name_user: account.name,
    desc_user: account.description,
    logo_url: account.logo_url,
    webhook_url: account.webhook_url,
    id_user: account.id,
    key_user: maskSecret(account.key_prefix),
    date_user: created.date,
    time_user: created.time,
    autorisation: subscription.active,
    type_abonnement: subscription.plan,
    date_expiration: expiry.date,
    time_expiration: expiry.time,
  };
}

const selector = z.strictObject(Object.fromEntries(ACCOUNT_FIELDS.map((f) => [f, z.unknown().optional()])));

export const account = defineAction({
  type: "account",
  summary: "Account information; send only the fields you want (values \"?\"), or none for all",
  auth: true,
  body: () => z.object({ type: z.literal("account"), account: selector.optional() }),
  data: z.object({
    name_user: z.string(),
    desc_user: z.string().nullable(),
    logo_url: z.string().nullable(),
    webhook_url: z.string().nullable(),
    id_user: z.string(),
    key_user: z.string().describe("Masked: the first characters only"),
    date_user: z.string(),
    time_user: z.string(),
    autorisation: z.boolean().describe("true while the plan or trial is active"),
    type_abonnement: z.string(),
    date_expiration: z.string(),
    time_expiration: z.string(),
  }).partial(),
  async run(rc, body, accountId) {
    const row = unwrap(await viewAccount(rc.core, accountId!));
    const view = accountView(row, rc.core.clock.now());
    const asked = body.account ? (Object.keys(body.account) as AccountField[]) : [];
    const fields = asked.length ? asked : ACCOUNT_FIELDS;
    return {
      message: "Opération réussie",
      data: Object.fromEntries(fields.map((f) => [f, view[f]])),
    };
  },
});

/** `update` with `update.account = "infos"`: partial changes of the account's descriptive fields. */
export const updateInfos = defineUpdateTarget({
  name: "infos",
  summary: "Change name, description, logourl or webhook (any subset)",
  body: ({ production }) =>
    z.object({
      infos: z
        .strictObject({ ...infoFields(production), name: accountName.optional() })
        .refine((o) => Object.keys(o).length > 0, "must change at least one of name, description, logourl, webhook"),
    }),
  async run(rc, { infos }, accountId) {
    const row = unwrap(
      await updateAccountInfo(rc.core, accountId, {
        name: infos.name,
        description: infos.description,
        logoUrl: infos.logourl,
        webhook: infos.webhook === undefined ? undefined : { url: infos.webhook, format: ACCOUNT_WEBHOOK },
      }),
    );
    return { message: "Informations du compte mises à jour.", data: accountView(row, rc.core.clock.now()) };
  },
});
