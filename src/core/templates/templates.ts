import { fail, ok, type Result } from "../../lib/errors";
import { whatsappUpstream, type UpstreamKind } from "../../upstreams/whatsapp";
import { retryable, type UpstreamFault, type WhatsAppUpstream } from "../../upstreams/whatsapp/types";
import { uniqueViolation } from "../../stores/unique-violation";
import type { CoreContext } from "../../config/context";
import type { NewTemplate, TemplateCategory, TemplateFilter, TemplateRecord, TemplateStatus } from "../messages/contract";
import { operatorWabaId } from "../numbers/waba";
import { checkComponents } from "./template-rules";
import { newUpstreamName, upstreamTemplateName } from "./namespace";

/**
 * Message templates per account. Each change goes first to the upstream of the account's numbers
 * (Meta: their WABA; the sandbox approves a template at once), and this table is its copy, kept
 * with the status the upstream gives. The table keeps the account's plain names; on the
 * operator's shared WABA Meta knows them by a per-account name (namespace.ts).
 */

interface TemplateRow {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  components: string;
}

const COLUMNS = "id, name, language, category, status, components";
const toRecord = (r: TemplateRow): TemplateRecord => ({ ...r, components: JSON.parse(r.components) as unknown[] });

/** The authentication template OTP sends use (Meta writes its body; the button copies the code). */
const OTP_TEMPLATE_COMPONENTS = [
  { type: "BODY", add_security_recommendation: true },
  { type: "FOOTER", code_expiration_minutes: 10 },
  { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copier le code" }] },
];

/** Where an account's templates live: the WABA and upstream of its numbers, else the configured ones. */
async function templateHome(ctx: CoreContext, accountId: string): Promise<{ upstream: WhatsAppUpstream; wabaId: string }> {
  const row = await ctx.db
    .prepare("SELECT waba_id, upstream FROM deployments WHERE account_id = ? AND state != 'DELETED' ORDER BY state = 'READY' DESC, created_at LIMIT 1")
    .bind(accountId)
    .first<{ waba_id: string | null; upstream: UpstreamKind | null }>();
  const upstream = whatsappUpstream(row?.upstream ?? ctx.config.WHATSAPP_UPSTREAM, ctx.env, ctx.log, ctx.outbound);
  return { upstream, wabaId: row?.waba_id ?? operatorWabaId(ctx) };
}

const upstreamError = (f: UpstreamFault) =>
  fail<never>(f.kind === "invalid_input" ? "invalid_request" : "upstream_failure", f.message, {
    upstreamCode: f.code,
    ...(f.kind === "auth" ? { reason: "upstream_auth" as const } : {}),
    ...(retryable(f) ? { retryAfterSeconds: 30 } : {}),
  });

export async function listTemplates(ctx: CoreContext, accountId: string, filter: TemplateFilter): Promise<Result<TemplateRecord[]>> {
  const refreshed = await refreshFromUpstream(ctx, accountId);
  if (!refreshed.ok) return refreshed;
  const { results } = await ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM templates WHERE account_id = ?1 AND (?2 IS NULL OR instr(name, ?2) > 0)
       AND (?3 IS NULL OR language = ?3) AND (?4 IS NULL OR category = ?4) AND (?5 IS NULL OR status = ?5)
       ORDER BY name, language LIMIT 500`,
    )
    .bind(accountId, filter.name ?? null, filter.language ?? null, filter.category ?? null, filter.status ?? null)
    .all<TemplateRow>();
  return ok(results.map(toRecord));
}

/** Brings the copied status, category and components of the account's templates up to date. */
async function refreshFromUpstream(ctx: CoreContext, accountId: string): Promise<Result<void>> {
  const { upstream, wabaId } = await templateHome(ctx, accountId);
  const live = await upstream.listTemplates(wabaId);
  if (!live.ok) return upstreamError(live.fault);
  const now = ctx.clock.now();
  const statements = live.value.map((t) =>
    ctx.db
      .prepare("UPDATE templates SET status = ?, category = ?, components = COALESCE(?, components), updated_at = ? WHERE id = ? AND account_id = ?")
      .bind(t.status, t.category, t.components ? JSON.stringify(t.components) : null, now, t.id, accountId),
  );
  if (statements.length) await ctx.db.batch(statements);
  return ok(undefined);
}

export async function getTemplate(ctx: CoreContext, accountId: string, templateId: string): Promise<Result<TemplateRecord>> {
  const row = await ctx.db.prepare(`SELECT ${COLUMNS} FROM templates WHERE id = ? AND account_id = ?`).bind(templateId, accountId).first<TemplateRow>();
  return row ? ok(toRecord(row)) : fail("not_found", `No template ${templateId}`);
}

export async function createTemplate(ctx: CoreContext, accountId: string, input: NewTemplate): Promise<Result<TemplateRecord>> {
  const components = checkComponents(input.category, input.components);
  if (!components.ok) return components;
  const home = await templateHome(ctx, accountId);
  const upstreamName = newUpstreamName(ctx, accountId, home.wabaId, input.name);
  if (!upstreamName.ok) return upstreamName;
  const created = await home.upstream.createTemplate(home.wabaId, { ...input, name: upstreamName.value });
  if (!created.ok) return upstreamError(created.fault);
  const { id } = created.value;
  const status = created.value.status as TemplateStatus;
  const category = (created.value.category as TemplateCategory | undefined) ?? input.category;
  const now = ctx.clock.now();
  try {
    await ctx.db
      .prepare(
        `INSERT INTO templates (id, account_id, waba_id, name, language, category, status, components, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(id, accountId, home.wabaId, input.name, input.language, category, status, JSON.stringify(input.components), now, now)
      .run();
  } catch (e) {
    if (uniqueViolation(e)?.startsWith("templates.account_id")) {
      return fail("name_taken", `Template ${input.name} already exists in ${input.language}`);
    }
    throw e;
  }
  return ok({ id, name: input.name, language: input.language, category, status, components: input.components });
}

export async function updateTemplate(
  ctx: CoreContext,
  accountId: string,
  templateId: string,
  changes: { category?: TemplateCategory; components?: unknown[] },
): Promise<Result<TemplateRecord>> {
  const current = await getTemplate(ctx, accountId, templateId);
  if (!current.ok) return current;
  const category = changes.category ?? current.value.category;
  const components = changes.components ?? current.value.components;
  const checked = checkComponents(category, components);
  if (!checked.ok) return checked;
  const { upstream } = await templateHome(ctx, accountId);
  const updated = await upstream.updateTemplate(templateId, changes);
  if (!updated.ok) return upstreamError(updated.fault);
  await ctx.db
    .prepare("UPDATE templates SET category = ?, components = ?, updated_at = ? WHERE id = ? AND account_id = ?")
    .bind(category, JSON.stringify(components), ctx.clock.now(), templateId, accountId)
    .run();
  return ok({ ...current.value, category, components });
}

/**
 * Deletes the account's name in every language, as Meta's DELETE by name does, on each WABA the
 * account's templates of that name live in; on the shared WABA only the account's own name goes.
 */
export async function deleteTemplatesByName(ctx: CoreContext, accountId: string, name: string): Promise<Result<{ deleted: number }>> {
  const { results: homes } = await ctx.db
    .prepare("SELECT DISTINCT waba_id FROM templates WHERE account_id = ? AND name = ?")
    .bind(accountId, name)
    .all<{ waba_id: string }>();
  if (!homes.length) return fail("not_found", `No template named ${name}`);
  const { upstream } = await templateHome(ctx, accountId);
  for (const { waba_id: wabaId } of homes) {
    const deleted = await upstream.deleteTemplates(wabaId, upstreamTemplateName(ctx, accountId, wabaId, name));
    if (!deleted.ok) return upstreamError(deleted.fault);
  }
  const result = await ctx.db.prepare("DELETE FROM templates WHERE account_id = ? AND name = ?").bind(accountId, name).run();
  return ok({ deleted: result.meta.changes ?? 0 });
}

/** Deletes one of the account's templates by id (Meta's `hsm_id`); `name`, when given, must be its name. */
export async function deleteTemplateById(ctx: CoreContext, accountId: string, templateId: string, name?: string): Promise<Result<{ deleted: number }>> {
  const row = await ctx.db
    .prepare("SELECT name, waba_id FROM templates WHERE id = ? AND account_id = ?")
    .bind(templateId, accountId)
    .first<{ name: string; waba_id: string }>();
  if (!row || (name !== undefined && row.name !== name)) return fail("not_found", `No template ${templateId}${name === undefined ? "" : ` named ${name}`}`);
  const { upstream } = await templateHome(ctx, accountId);
  const deleted = await upstream.deleteTemplates(row.waba_id, upstreamTemplateName(ctx, accountId, row.waba_id, row.name), templateId);
  if (!deleted.ok) return upstreamError(deleted.fault);
  const result = await ctx.db.prepare("DELETE FROM templates WHERE id = ? AND account_id = ?").bind(templateId, accountId).run();
  return ok({ deleted: result.meta.changes ?? 0 });
}

/** A template a send names, with the name the upstream knows it by. */
export type SendableTemplate = TemplateRecord & { upstreamName: string };

/**
 * The template a send names, from the account's store; the OTP template (OTP_TEMPLATE_NAME) is
 * built in, in every language (the operator's own, under its plain name), unless the account has
 * its own of that name.
 */
export async function findTemplate(ctx: CoreContext, accountId: string, name: string, language: string): Promise<SendableTemplate | null> {
  const row = await ctx.db
    .prepare(`SELECT ${COLUMNS}, waba_id FROM templates WHERE account_id = ? AND name = ? AND language = ?`)
    .bind(accountId, name, language)
    .first<TemplateRow & { waba_id: string }>();
  if (row) {
    const { waba_id: wabaId, ...record } = row;
    return { ...toRecord(record), upstreamName: upstreamTemplateName(ctx, accountId, wabaId, name) };
  }
  if (name !== ctx.config.OTP_TEMPLATE_NAME) return null;
  return { id: `builtin_${name}`, name, language, category: "AUTHENTICATION", status: "APPROVED", components: OTP_TEMPLATE_COMPONENTS, upstreamName: name };
}

/** Other languages the name exists in, to say so when a send names a missing one. */
export async function templateLanguages(ctx: CoreContext, accountId: string, name: string): Promise<string[]> {
  const { results } = await ctx.db.prepare("SELECT language FROM templates WHERE account_id = ? AND name = ? ORDER BY language").bind(accountId, name).all<{ language: string }>();
  return results.map((r) => r.language);
}
