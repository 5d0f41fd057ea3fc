import type { Config } from "../../config/env";
import { fail, ok, type Result } from "../../lib/errors";
import { hmacSha256Hex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";
import type { CanonicalEvent } from "./events";
import type { FormatOf, WebhookFormat, WebhookFormats } from "./format";

/**
 * Where an account's events go: one row per endpoint, in a format a dialect registered
 * (format.ts), which also says how its endpoints come to be: listed (any number of them, up to a
 * limit), configured (one per account or per number, with the headers to send), or the account's
 * own webhook (one row, kept in step with the account's webhook URL). No secret is stored: each
 * endpoint's is derived from WEBHOOK_SIGNING_KEY.
 */
export interface EndpointRow {
  id: string;
  account_id: string;
  format: string;
  /** Null when there is nowhere to send (an account webhook URL that was cleared). */
  url: string | null;
  headers: string | null;
  /** Only this number's events; null: every number's. */
  phone_number_id: string | null;
  secret_version: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = "id, account_id, format, url, headers, phone_number_id, secret_version, created_at, updated_at";

export async function endpointSecret(config: Config, endpoint: Pick<EndpointRow, "id" | "secret_version">): Promise<string> {
  return `whsec_${await hmacSha256Hex(config.WEBHOOK_SIGNING_KEY, `${endpoint.id}:${endpoint.secret_version}`)}`;
}

const newEndpointId = () => `whe_${crypto.randomUUID().replace(/-/g, "")}`;

/** The account's endpoints: its own webhook first, then the others as they were made. */
export async function listEndpoints(ctx: CoreContext, formats: WebhookFormats, accountId: string): Promise<EndpointRow[]> {
  const first = formats.ofKind("account-webhook").map((f) => f.name);
  const { results } = await ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE account_id = ?1 AND deleted_at IS NULL
       ORDER BY format IN (SELECT value FROM json_each(?2)) DESC, created_at, id`,
    )
    .bind(accountId, JSON.stringify(first))
    .all<EndpointRow>();
  return results;
}

/**
 * The endpoints that receive an event of this number: those of every number, and this number's
 * own, that take events of this type; an account-wide one is left out when this number has an
 * endpoint that replaces its format.
 */
export async function targetsFor(ctx: CoreContext, accountId: string, phoneNumberId: string, eventType: CanonicalEvent["type"]): Promise<EndpointRow[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM webhook_endpoints e WHERE account_id = ?1 AND deleted_at IS NULL AND url IS NOT NULL
       AND (phone_number_id IS NULL OR phone_number_id = ?2) AND (statuses = 1 OR ?3 = 0)
       AND (event_types IS NULL OR EXISTS (SELECT 1 FROM json_each(event_types) WHERE value = ?4))
       AND NOT (e.phone_number_id IS NULL AND EXISTS (SELECT 1 FROM webhook_endpoints o WHERE o.account_id = ?1 AND o.phone_number_id = ?2
         AND o.deleted_at IS NULL AND o.url IS NOT NULL AND o.replaces_format = e.format))
       ORDER BY created_at, id`,
    )
    .bind(accountId, phoneNumberId, eventType === "message.status" ? 1 : 0, eventType)
    .all<EndpointRow>();
  return results;
}

/** The endpoints as they are now, each in its account (a deleted one is missing). */
export async function findEndpoints(ctx: CoreContext, wanted: { accountId: string; endpointId: string }[]): Promise<EndpointRow[]> {
  const { results } = await ctx.db
    .prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE deleted_at IS NULL AND (id, account_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`)
    .bind(JSON.stringify(wanted.map((w) => [w.endpointId, w.accountId])))
    .all<EndpointRow>();
  return results;
}

export async function createEndpoint(ctx: CoreContext, format: FormatOf<"listed">, accountId: string, url: string): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
  const { max } = format.endpoints;
  const count = await ctx.db
    .prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ? AND format = ? AND deleted_at IS NULL")
    .bind(accountId, format.name)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= max) return fail("conflict", `An account has at most ${max} webhook endpoints; delete one first`);
  const now = ctx.clock.now();
  const endpoint: EndpointRow = { id: newEndpointId(), account_id: accountId, format: format.name, url, headers: null, phone_number_id: null, secret_version: 0, created_at: now, updated_at: now };
  await insertStatement(ctx, endpoint, format).run();
  return ok({ endpoint, secret: await endpointSecret(ctx.config, endpoint) });
}

/** Removes a listed or configured endpoint; the account's own webhook follows its URL and stays. */
export async function deleteEndpoint(ctx: CoreContext, formats: WebhookFormats, accountId: string, endpointId: string): Promise<Result<void>> {
  const kept = formats.ofKind("account-webhook");
  const now = ctx.clock.now();
  const done = await ctx.db
    .prepare(
      `UPDATE webhook_endpoints SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND account_id = ?3 AND deleted_at IS NULL
       AND format NOT IN (SELECT value FROM json_each(?4))`,
    )
    .bind(now, endpointId, accountId, JSON.stringify(kept.map((f) => f.name)))
    .run();
  if (done.meta.changes) return ok(undefined);
  const hints = kept.map((f) => f.endpoints.howToChange);
  return fail("not_found", `No webhook endpoint ${endpointId}${hints.length ? ` (${hints.join("; ")})` : ""}`);
}

/** A new secret for the endpoint, shown once; the previous one stops signing at once. */
export async function rotateEndpointSecret(ctx: CoreContext, accountId: string, endpointId: string): Promise<Result<string>> {
  const row = await ctx.db
    .prepare("UPDATE webhook_endpoints SET secret_version = secret_version + 1, updated_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL RETURNING id, secret_version")
    .bind(ctx.clock.now(), endpointId, accountId)
    .first<Pick<EndpointRow, "id" | "secret_version">>();
  if (!row) return fail("not_found", `No webhook endpoint ${endpointId}`);
  return ok(await endpointSecret(ctx.config, row));
}

/** What `event_types` stores for an endpoint of this format (null: every type). */
const eventTypesOf = (format: WebhookFormat) => (format.events ? JSON.stringify(format.events) : null);
const replacesOf = (format: WebhookFormat) => (format.endpoints.kind === "configured" ? (format.endpoints.replaces ?? null) : null);

function insertStatement(ctx: CoreContext, e: EndpointRow, format: WebhookFormat): D1PreparedStatement {
  return ctx.db
    .prepare(
      `INSERT INTO webhook_endpoints (id, account_id, format, url, headers, phone_number_id, secret_version, event_types, replaces_format, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(e.id, e.account_id, e.format, e.url, e.headers, e.phone_number_id, e.secret_version, eventTypesOf(format), replacesOf(format), e.created_at, e.updated_at);
}

/** The account's webhook URL (null: none) and the format its events go there in. */
export interface AccountWebhook {
  url: string | null;
  format: FormatOf<"account-webhook">;
}

/**
 * Whether message statuses go to the account's own webhook (off unless the account opts in: that
 * webhook's documented calls carry customer messages only). Set before any URL, the row is made
 * without one, so the choice holds when a URL comes.
 */
export async function setAccountWebhookStatuses(ctx: CoreContext, format: FormatOf<"account-webhook">, accountId: string, on: boolean): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db
      .prepare("UPDATE webhook_endpoints SET statuses = ?1, updated_at = ?2 WHERE account_id = ?3 AND format = ?4 AND deleted_at IS NULL")
      .bind(on ? 1 : 0, now, accountId, format.name),
    ctx.db
      .prepare(
        `INSERT INTO webhook_endpoints (id, account_id, format, url, secret_version, statuses, event_types, created_at, updated_at)
         SELECT ?1, id, ?2, webhook_url, 0, ?3, ?6, ?4, ?4 FROM accounts WHERE id = ?5
         AND NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE account_id = ?5 AND format = ?2 AND deleted_at IS NULL)`,
      )
      .bind(newEndpointId(), format.name, on ? 1 : 0, now, accountId, eventTypesOf(format)),
  ]);
}

export async function accountWebhookStatuses(ctx: CoreContext, format: FormatOf<"account-webhook">, accountId: string): Promise<boolean> {
  const row = await ctx.db
    .prepare("SELECT statuses FROM webhook_endpoints WHERE account_id = ? AND format = ? AND deleted_at IS NULL")
    .bind(accountId, format.name)
    .first<{ statuses: number }>();
  return row?.statuses === 1;
}

/**
 * What keeps the account's own webhook endpoint in step with its webhook URL, to run in the batch
 * that writes the URL: the live row takes the URL, or one is made when there is a URL and no row.
 * The row stays when the URL is cleared, so its id and secret survive a later URL.
 */
export function accountWebhookStatements(ctx: CoreContext, accountId: string, webhook: AccountWebhook): D1PreparedStatement[] {
  const now = ctx.clock.now();
  const format = webhook.format.name;
  return [
    ctx.db
      .prepare("UPDATE webhook_endpoints SET url = ?1, updated_at = ?2 WHERE account_id = ?3 AND format = ?4 AND deleted_at IS NULL")
      .bind(webhook.url, now, accountId, format),
    ctx.db
      .prepare(
        `INSERT INTO webhook_endpoints (id, account_id, format, url, secret_version, statuses, event_types, created_at, updated_at)
         SELECT ?1, id, ?2, ?3, 0, 0, ?6, ?4, ?4 FROM accounts WHERE id = ?5 AND ?3 IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE account_id = ?5 AND format = ?2 AND deleted_at IS NULL)`,
      )
      .bind(newEndpointId(), format, webhook.url, now, accountId, eventTypesOf(webhook.format)),
  ];
}

/** `''` for an endpoint of the account, the number otherwise: checked against the format's policy. */
function scopeOf(format: FormatOf<"configured">, phoneNumberId: string | null): string {
  if ((format.endpoints.per === "number") !== (phoneNumberId !== null)) {
    throw new Error(`The ${format.name} webhook is configured per ${format.endpoints.per}`);
  }
  return phoneNumberId ?? "";
}

/**
 * Sets the one endpoint of a configured format for the account or the number (`phoneNumberId`
 * null: the account's): updates it in place, or creates it (a concurrent creation loses on the
 * UNIQUE index and updates instead). Returns the endpoint and, when it is new, its secret.
 */
export async function setConfiguredEndpoint(
  ctx: CoreContext,
  format: FormatOf<"configured">,
  accountId: string,
  phoneNumberId: string | null,
  url: string,
  headers: Record<string, string> | null,
): Promise<{ endpoint: EndpointRow; secret: string | null }> {
  const scope = scopeOf(format, phoneNumberId);
  const now = ctx.clock.now();
  for (let tries = 0; ; tries++) {
    const updated = await ctx.db
      .prepare(
        `UPDATE webhook_endpoints SET url = ?, headers = ?, updated_at = ?
         WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL
         RETURNING ${COLUMNS}`,
      )
      .bind(url, headers ? JSON.stringify(headers) : null, now, accountId, format.name, scope)
      .first<EndpointRow>();
    if (updated) return { endpoint: updated, secret: null };
    const endpoint: EndpointRow = { id: newEndpointId(), account_id: accountId, format: format.name, url, headers: headers ? JSON.stringify(headers) : null, phone_number_id: phoneNumberId, secret_version: 0, created_at: now, updated_at: now };
    try {
      await insertStatement(ctx, endpoint, format).run();
      return { endpoint, secret: await endpointSecret(ctx.config, endpoint) };
    } catch (e) {
      if (tries > 0 || !/UNIQUE/.test(String(e))) throw e;
    }
  }
}

export async function configuredEndpoint(ctx: CoreContext, format: FormatOf<"configured">, accountId: string, phoneNumberId: string | null): Promise<EndpointRow | null> {
  return ctx.db
    .prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL`)
    .bind(accountId, format.name, scopeOf(format, phoneNumberId))
    .first<EndpointRow>();
}

export async function deleteConfiguredEndpoint(ctx: CoreContext, format: FormatOf<"configured">, accountId: string, phoneNumberId: string | null): Promise<boolean> {
  const now = ctx.clock.now();
  const done = await ctx.db
    .prepare("UPDATE webhook_endpoints SET deleted_at = ?, updated_at = ? WHERE account_id = ? AND format = ? AND COALESCE(phone_number_id, '') = ? AND deleted_at IS NULL")
    .bind(now, now, accountId, format.name, scopeOf(format, phoneNumberId))
    .run();
  return (done.meta.changes ?? 0) > 0;
}
