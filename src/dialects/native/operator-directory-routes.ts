import * as z from "zod";
import { getAccount, maskSecret } from "../../core/accounts/accounts";
import { searchAccounts } from "../../core/accounts/directory";
import { listEndpoints } from "../../core/client-webhooks/endpoints";
import { listCloudApiTokens } from "../../core/credentials/cloud-api-tokens";
import { listDevKeys } from "../../core/credentials/dev-keys";
import { listLog } from "../../core/messages/log";
import { listWallets } from "../../core/money/wallets";
import { listDeployments } from "../../core/numbers/numbers";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { formatAmount } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { WEBHOOK_FORMATS } from "../client-webhook-formats";
import { AccountSchema, accountJson } from "./account-json";
import { adminErrors, NativeErrorSchema } from "./errors";
import { Entry as MessageEntry, entryView } from "./message-routes";
import { Wallet, walletJson } from "./money-routes";
import { nativeRouter } from "./router";

/** The operator's directory: search every account, and one account's whole picture (no secret, no hash). */
const iso = (ms: number) => new Date(ms).toISOString();

const ListedAccount = AccountSchema.extend({ balance: z.record(z.string(), z.string()).describe("Balance per currency, decimal strings") });

const searchRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/accounts",
  operationId: "adminSearchAccounts",
  tag: "Native: admin",
  summary: "Find accounts by id_user or by a part of their name, with their balances (operator)",
  security: "admin",
  query: z.object({
    q: z.string().max(100).optional().describe("An id_user (exact) or a part of the name (any case)"),
    cursor: z.string().max(100).optional().describe("next_cursor of the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  }),
  responses: {
    200: { description: "A page of accounts, in id order", schema: z.object({ data: z.array(ListedAccount), next_cursor: z.string().nullable() }) },
    400: { description: "Invalid query", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.get("/admin/accounts", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await searchRoute.read(request);
  const page = await searchAccounts(rc.core, query);
  return json({
    data: page.accounts.map(({ account, wallets }) => ({
      ...accountJson(account),
      balance: Object.fromEntries(wallets.map((w) => [w.currency, formatAmount(w.balance, w.currency)])),
    })),
    next_cursor: page.nextCursor,
  });
});

const Key = z.object({
  kind: z.enum(["key_user", "number_api_key", "engagelab_dev_key", "cloud_api_token"]),
  label: z.string().nullable(),
  masked: z.string().describe("The first characters only; never a secret or its hash"),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
const AccountNumber = z.object({
  id: z.string().describe("The deployment id"),
  phone_number_id: z.string().nullable(),
  display_number: z.string(),
  state: z.string(),
  detail: z.string(),
  created_at: z.string(),
});
const WebhookEndpoint = z.object({ id: z.string(), format: z.string(), url: z.string().nullable(), phone_number_id: z.string().nullable(), created_at: z.string() });

const detailRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/accounts/{account_id}",
  operationId: "adminGetAccount",
  tag: "Native: admin",
  summary: "One account: plan, wallets, numbers, keys (masked), webhooks and recent messages (operator)",
  security: "admin",
  params: z.object({ account_id: z.string().min(1).max(100) }),
  responses: {
    200: {
      description: "The account",
      schema: z.object({
        account: AccountSchema,
        wallets: z.array(Wallet),
        numbers: z.array(AccountNumber),
        keys: z.array(Key),
        webhooks: z.array(WebhookEndpoint),
        recent_messages: z.array(MessageEntry).describe("The 20 latest, both directions"),
      }),
    },
    ...adminErrors,
    404: { description: "No such account", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/admin/accounts/:account_id", async (request, rc) => {
  requireAdmin(request, rc);
  const { params } = await detailRoute.read(request);
  const account = unwrap(await getAccount(rc.core, params.account_id));
  const id = account.id;
  const [wallets, numbers, devKeys, cloudTokens, webhooks, messages] = await Promise.all([
    listWallets(rc.core, id),
    listDeployments(rc.core, id, true),
    listDevKeys(rc.core, id),
    listCloudApiTokens(rc.core, id),
    listEndpoints(rc.core, WEBHOOK_FORMATS, id),
    listLog(rc.core, id, { limit: 20 }),
  ]);
  const keys = [
    { kind: "key_user" as const, label: null, masked: maskSecret(account.key_prefix), created_at: iso(account.created_at), revoked_at: null },
    ...numbers
      .filter((n) => n.state !== "DELETED")
      .map((n) => ({ kind: "number_api_key" as const, label: `+${n.cc}${n.number}`, masked: n.apiKeyMasked, created_at: iso(n.createdAt), revoked_at: null })),
    ...devKeys.map((k) => ({ kind: "engagelab_dev_key" as const, label: k.label, masked: maskSecret(k.dev_key.slice(0, 7)), created_at: k.created_at, revoked_at: k.revoked_at })),
    ...cloudTokens.map((t) => ({ kind: "cloud_api_token" as const, label: t.label, masked: maskSecret(t.id.slice(0, 8)), created_at: t.created_at, revoked_at: t.revoked_at })),
  ];
  return json({
    account: accountJson(account),
    wallets: wallets.map(walletJson),
    numbers: numbers.map((n) => ({ id: n.id, phone_number_id: n.phoneNumberId, display_number: `+${n.cc}${n.number}`, state: n.state, detail: n.detail, created_at: iso(n.createdAt) })),
    keys,
    webhooks: webhooks.map((e) => ({ id: e.id, format: e.format, url: e.url, phone_number_id: e.phone_number_id, created_at: iso(e.created_at) })),
    recent_messages: messages.map(entryView),
  });
});
