import type { Config } from "../../config/env";
import { fail, ok, type Result } from "../../lib/errors";
import { hmacSha256Hex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";

/**
 * Where an account's events go. Four formats: `native` endpoints (any number, canonical JSON),
 * the `tokabola` endpoint (the account's webhook URL from signup/update, one row per account made
 * on first use), `lam` (one per number, with the headers to send) and `engagelab` (one callback
 * per account). No secret is stored: each endpoint's is derived from WEBHOOK_SIGNING_KEY.
 */
export type EndpointFormat = "native" | "tokabola" | "lam" | "engagelab";

export interface EndpointRow {
  id: string;
  account_id: string;
  format: EndpointFormat;
  url: string | null;
  headers: string | null;
  phone_number_id: string | null;
  secret_version: number;
  created_at: number;
  updated_at: number;
}

/** A delivery target: the endpoint with the URL it has now (toKABOLA: the account's webhook URL). */
export interface Target extends EndpointRow {
  target_url: string | null;
}

const COLUMNS = "e.id, e.account_id, e.format, e.url, e.headers, e.phone_number_id, e.secret_version, e.created_at, e.updated_at";

/** Development only; production refuses to start without WEBHOOK_SIGNING_KEY (src/env.ts). */
const DEV_WEBHOOK_SIGNING_KEY = "tuma-dev-webhook-signing-key";
const MAX_NATIVE_ENDPOINTS = 10;

export async function endpointSecret(config: Config, endpoint: Pick<EndpointRow, "id" | "secret_version">): Promise<string> {
  return `whsec_${await hmacSha256Hex(config.WEBHOOK_SIGNING_KEY ?? DEV_WEBHOOK_SIGNING_KEY, `${endpoint.id}:${endpoint.secret_version}`)}`;
}

const newEndpointId = () => `whe_${crypto.randomUUID().replace(/-/g, "")}`;
const tokabolaEndpointId = (accountId: string) => `tkb_${accountId}`;

export async function listEndpoints(ctx: CoreContext, accountId: string): Promise<Target[]> {
  await ensureTokabolaEndpoint(ctx, accountId);
  const { results } = await ctx.db
    .prepare(`SELECT ${COLUMNS}, CASE WHEN e.format = 'tokabola' THEN a.webhook_url ELSE e.url END AS target_url
              FROM webhook_endpoints e JOIN accounts a ON a.id = e.account_id
              WHERE e.account_id = ? AND e.deleted_at IS NULL ORDER BY e.format = 'tokabola' DESC, e.created_at, e.id`)
    .bind(accountId)
    .all<Target>();
  return results;
}

/** The endpoints that receive an event of this number: every one of the account's, LAfricaMobile's only for its number. */
export async function targetsFor(ctx: CoreContext, accountId: string, phoneNumberId: string): Promise<Target[]> {
  return (await listEndpoints(ctx, accountId)).filter((e) => e.target_url && (!e.phone_number_id || e.phone_number_id === phoneNumberId));
}

/** The endpoint as it is now, deleted or not (null: deleted). */
export async function findTarget(ctx: CoreContext, endpointId: string): Promise<Target | null> {
  return ctx.db
    .prepare(`SELECT ${COLUMNS}, CASE WHEN e.format = 'tokabola' THEN a.webhook_url ELSE e.url END AS target_url
              FROM webhook_endpoints e JOIN accounts a ON a.id = e.account_id WHERE e.id = ? AND e.deleted_at IS NULL`)
    .bind(endpointId)
    .first<Target>();
}

/** The toKABOLA endpoint row exists once the account has a webhook URL (INSERT OR IGNORE: no race). */
async function ensureTokabolaEndpoint(ctx: CoreContext, accountId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .prepare(
      `INSERT INTO webhook_endpoints (id, account_id, format, url, secret_version, created_at, updated_at)
       SELECT ?1, id, 'tokabola', NULL, 0, ?2, ?2 FROM accounts WHERE id = ?3 AND webhook_url IS NOT NULL
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(tokabolaEndpointId(accountId), now, accountId)
    .run();
}

export async function createNativeEndpoint(ctx: CoreContext, accountId: string, url: string): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
  const count = await ctx.db
    .prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ? AND format = 'native' AND deleted_at IS NULL")
    .bind(accountId)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= MAX_NATIVE_ENDPOINTS) return fail("conflict", `An account has at most ${MAX_NATIVE_ENDPOINTS} webhook endpoints; delete one first`);
  const now = ctx.clock.now();
  const endpoint: EndpointRow = { id: newEndpointId(), account_id: accountId, format: "native", url, headers: null, phone_number_id: null, secret_version: 0, created_at: now, updated_at: now };
  await insertStatement(ctx, endpoint).run();
  return ok({ endpoint, secret: await endpointSecret(ctx.config, endpoint) });
}

export async function deleteEndpoint(ctx: CoreContext, accountId: string, endpointId: string): Promise<Result<void>> {
  const now = ctx.clock.now();
  const done = await ctx.db
    .prepare("UPDATE webhook_endpoints SET deleted_at = ?, updated_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL AND format != 'tokabola'")
    .bind(now, now, endpointId, accountId)
    .run();
  if (done.meta.changes) return ok(undefined);
  return fail("not_found", `No webhook endpoint ${endpointId} (the toKABOLA one follows the account's webhook URL: change it with update infos)`);
}

/** A new secret for the endpoint, shown once; the previous one stops signing at once. */
export async function rotateEndpointSecret(ctx: CoreContext, accountId: string, endpointId: string): Promise<Result<string>> {
  await ensureTokabolaEndpoint(ctx, accountId);
  const row = await ctx.db
    .prepare("UPDATE webhook_endpoints SET secret_version = secret_version + 1, updated_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL RETURNING id, secret_version")
    .bind(ctx.clock.now(), endpointId, accountId)
    .first<Pick<EndpointRow, "id" | "secret_version">>();
  if (!row) return fail("not_found", `No webhook endpoint ${endpointId}`);
  return ok(await endpointSecret(ctx.config, row));
}

function insertStatement(ctx: CoreContext, e: EndpointRow): D1PreparedStatement {
  return ctx.db
    .prepare("INSERT INTO webhook_endpoints (id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(e.id, e.account_id, e.format, e.url, e.headers, e.phone_number_id, e.secret_version, e.created_at, e.updated_at);
}

/**
 * Sets the one LAfricaMobile endpoint of a number or the one EngageLab callback of an account
 * (`phoneNumberId` null): updates it in place, or creates it (a concurrent creation loses on the
 * UNIQUE index and updates instead). Returns the endpoint and, when it is new, its secret.
 */
export async function setConfiguredEndpoint(
  ctx: CoreContext,
  accountId: string,
  format: "lam" | "engagelab",
  phoneNumberId: string | null,
  url: string,
  headers: Record<string, string> | null,
): Promise<{ endpoint: EndpointRow; secret: string | null }> {
  const now = ctx.clock.now();
  for (let tries = 0; ; tries++) {
    const updated = await ctx.db
      .prepare(
        `UPDATE webhook_endpoints SET url = ?, headers = ?, updated_at = ?
         WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL
         RETURNING id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at`,
      )
      .bind(url, headers ? JSON.stringify(headers) : null, now, accountId, format, phoneNumberId ?? "")
      .first<EndpointRow>();
    if (updated) return { endpoint: updated, secret: null };
    const endpoint: EndpointRow = { id: newEndpointId(), account_id: accountId, format, url, headers: headers ? JSON.stringify(headers) : null, phone_number_id: phoneNumberId, secret_version: 0, created_at: now, updated_at: now };
    try {
      await insertStatement(ctx, endpoint).run();
      return { endpoint, secret: await endpointSecret(ctx.config, endpoint) };
    } catch (e) {
      if (tries > 0 || !/UNIQUE/.test(String(e))) throw e;
    }
  }
}

export async function configuredEndpoint(ctx: CoreContext, accountId: string, format: "lam" | "engagelab", phoneNumberId: string | null): Promise<EndpointRow | null> {
  return ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM webhook_endpoints e WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL`,
    )
    .bind(accountId, format, phoneNumberId ?? "")
    .first<EndpointRow>();
}

export async function deleteConfiguredEndpoint(ctx: CoreContext, accountId: string, format: "lam" | "engagelab", phoneNumberId: string | null): Promise<boolean> {
  const now = ctx.clock.now();
  const done = await ctx.db
    .prepare("UPDATE webhook_endpoints SET deleted_at = ?, updated_at = ? WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL")
    .bind(now, now, accountId, format, phoneNumberId ?? "")
    .run();
  return (done.meta.changes ?? 0) > 0;
}
