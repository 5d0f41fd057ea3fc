import { fail, ok, type FieldIssue, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { reserveHoldsStatement } from "../../stores/money/holds";
import type { MessageCategory } from "../../stores/money/prices";
import { isFundsViolation } from "../../stores/money/wallets";
import type { CanonicalMessage } from "../messages/canonical";
import type { SendInput } from "../messages/contract";
import { resolveSender } from "../messages/sender";
import { keyReused, meaningHash, storedKey } from "../messages/idempotency";
import { checkTemplate } from "../messages/template-gate";
import { validateMessage } from "../messages/validate";
import { chargeFor, insufficientFunds } from "../money/charging";
import { checkTemplateSend } from "../templates/template-rules";
import { DAY } from "../../lib/clock";
import { campaignView, type CampaignView } from "./progress";
import { CAMPAIGN_COLUMNS, enqueueChunks, MAX_RECIPIENTS, newCampaignId, type CampaignRow } from "./model";
import { uniqueViolation } from "../../stores/unique-violation";

export interface CampaignInput {
  accountId: string;
  /** Null picks the account's only READY number, as a single send does. */
  phoneNumberId: string | null;
  template: { name: string; language: string };
  /** Each recipient with its template body parameters. */
  recipients: { to: string; parameters?: string[] }[];
  /** No message goes out before this instant (ms since the epoch); default now. */
  startAt?: number | null;
  /** The client's idempotency key: the same key answers the campaign it created, for the same request only (else `conflict`). */
  requestKey?: string | null;
  /** The key names this request only: another request under it creates a new campaign (EngageLab `request_id`). */
  requestKeyPerRequest?: boolean;
  forceSandbox?: boolean;
  /** Renames a field (`to`, `parameters`, `template.name`, `phone_number_id`) of recipient `index` (absent: the request's own). */
  fieldName?: (path: string, index?: number) => string;
}

export interface CreatedCampaign {
  campaign: CampaignView;
  /** Recipients named twice (same digits) and kept once. */
  duplicates: number;
  replayed: boolean;
}

/** Holds outlive the campaign's start by this much; the cron voids what is left after. */
const HOLD_TTL_AFTER_START_MS = 2 * DAY;
const MAX_START_DELAY_MS = 30 * DAY;
const MAX_ISSUES = 20;

type TemplateMessage = Extract<CanonicalMessage, { type: "template" }>;

/** A recipient's message: the campaign's template with its own body parameters. */
export function templateMessage(template: { name: string; language: string }, to: string, parameters: string[]): SendInput["message"] {
  const components = parameters.length ? [{ type: "body", parameters: parameters.map((text) => ({ type: "text", text })) }] : undefined;
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to,
    type: "template",
    template: { name: template.name, language: { code: template.language }, ...(components ? { components } : {}) },
  } as SendInput["message"];
}

/**
 * Creates a campaign and queues it. Everything is checked before anything is written: the
 * number, the template, every recipient and its parameters, and the price of all of them. Then
 * one batch writes the campaign, its recipients and one hold per paid recipient: a wallet that
 * cannot pay them all fails that batch, so nothing is held and nothing sent.
 */
export async function createCampaign(ctx: CoreContext, input: CampaignInput): Promise<Result<CreatedCampaign>> {
  const field = input.fieldName ?? ((path: string, index?: number) => (index === undefined ? path : `recipients[${index}].${path}`));
  const hash = input.requestKey ? await campaignHash(input) : null;
  const requestKey = input.requestKey ? storedKey(input.requestKey, hash!, input.requestKeyPerRequest) : null;
  if (requestKey) {
    const earlier = await replayed(ctx, input.accountId, requestKey, hash!);
    if (earlier) return earlier;
  }
  if (input.recipients.length === 0 || input.recipients.length > MAX_RECIPIENTS) {
    return fail("invalid_request", `A campaign has 1 to ${MAX_RECIPIENTS} recipients`, {
      issues: [{ field: field("to"), kind: input.recipients.length === 0 ? "too_short" : "too_long", reason: `must name 1 to ${MAX_RECIPIENTS} recipients` }],
    });
  }
  const now = ctx.clock.now();
  const startAt = input.startAt ?? now;
  if (startAt > now + MAX_START_DELAY_MS) {
    return fail("invalid_request", "A campaign starts within 30 days", { issues: [{ field: field("start_at"), kind: "too_big", reason: "must be within 30 days" }] });
  }
  const sender = await resolveSender(ctx, input.accountId, input.phoneNumberId, input.forceSandbox ?? false, (p) => field(p));
  if (!sender.ok) return sender;

  const checked = await checkRecipients(ctx, input, field);
  if (!checked.ok) return checked;
  const { rows, category, duplicates } = checked.value;

  const priced = await chargeFor(ctx, input.accountId, { upstream: sender.value.upstream, category, count: rows.length });
  if (!priced.ok) return priced;
  const charge = priced.value;
  const deployment = await ctx.db
    .prepare("SELECT id FROM deployments WHERE account_id = ? AND phone_number_id = ? AND state = 'READY'")
    .bind(input.accountId, sender.value.phoneNumberId)
    .first<{ id: string }>();
  const campaign: CampaignRow = {
    id: newCampaignId(),
    account_id: input.accountId,
    request_key: requestKey,
    phone_number_id: sender.value.phoneNumberId,
    deployment_id: deployment?.id ?? null,
    upstream: sender.value.upstream,
    // `upstream`: the name Meta knows the template by (the account's own on a shared WABA).
    template: JSON.stringify({ name: input.template.name, upstream: checked.value.upstreamName, language: { code: input.template.language } }),
    category,
    charge_currency: charge?.currency ?? null,
    charge_amount: charge?.amount ?? null,
    state: "running",
    total: rows.length,
    start_at: startAt,
    created_at: now,
    updated_at: now,
  };
  const written = await write(ctx, campaign, rows, hash);
  if (written) return written;
  await enqueueChunks(ctx, campaign, rows.map((_, seq) => seq), (startAt - now) / 1000);
  ctx.log.log("info", "campaign_created", { campaign_id: campaign.id, account_id: campaign.account_id, recipients: rows.length, upstream: campaign.upstream });
  return ok({ campaign: await campaignView(ctx, campaign), duplicates, replayed: false });
}

type Prepared = { rows: [waId: string, toInput: string, parameters: string | null][]; category: MessageCategory; upstreamName: string; duplicates: number };

/** Validates every recipient against Meta's limits and the template; keeps each person once. */
async function checkRecipients(ctx: CoreContext, input: CampaignInput, field: (path: string, index?: number) => string): Promise<Result<Prepared>> {
  const named = (index: number) => (p: string) => (p === "to" ? field("to", index) : p.startsWith("template.components") ? field("parameters", index) : field(p));
  const issues = new Map<string, FieldIssue>();
  const valid: { index: number; waId: string; message: CanonicalMessage }[] = [];
  for (const [index, r] of input.recipients.entries()) {
    const checked = validateMessage(templateMessage(input.template, r.to, r.parameters ?? []), named(index));
    if (checked.ok) valid.push({ index, ...checked.value });
    else for (const i of checked.error.details.issues ?? []) issues.set(`${i.field}:${i.reason}`, i);
  }
  if (valid.length === 0) return invalid([...issues.values()]);
  // The template is looked up once, with the first recipient's parameters; the others are checked against it.
  const record = await checkTemplate(ctx, input.accountId, valid[0]!.message as TemplateMessage, named(valid[0]!.index));
  if (!record.ok) return record;
  const seen = new Set<string>();
  const rows: Prepared["rows"] = [];
  for (const v of valid) {
    const params = checkTemplateSend(record.value, (v.message as TemplateMessage).template, named(v.index));
    if (!params.ok) for (const i of params.error.details.issues ?? []) issues.set(`${i.field}:${i.reason}`, i);
    if (issues.size >= MAX_ISSUES) break;
    if (seen.has(v.waId)) continue;
    seen.add(v.waId);
    const r = input.recipients[v.index]!;
    rows.push([v.waId, r.to, r.parameters?.length ? JSON.stringify(r.parameters) : null]);
  }
  if (issues.size) return invalid([...issues.values()]);
  return ok({ rows, category: record.value.category.toLowerCase() as MessageCategory, upstreamName: record.value.upstreamName, duplicates: input.recipients.length - rows.length });
}

const invalid = (all: FieldIssue[], issues = all.slice(0, MAX_ISSUES)) =>
  fail<never>("invalid_request", `Invalid recipients: ${issues.map((i) => i.field).slice(0, 5).join(", ")}${issues.length > 5 ? ", …" : ""}`, { issues });

/** One batch: the campaign, its recipients (from one JSON array) and their holds. An answer only when it did not write. */
async function write(ctx: CoreContext, c: CampaignRow, rows: Prepared["rows"], hash: string | null): Promise<Result<CreatedCampaign> | null> {
  const statements = [
    ctx.db
      .prepare(`INSERT INTO campaigns (${CAMPAIGN_COLUMNS}, request_hash) VALUES (${CAMPAIGN_COLUMNS.split(", ").map(() => "?").join(", ")}, ?)`)
      .bind(c.id, c.account_id, c.request_key, c.phone_number_id, c.deployment_id, c.upstream, c.template, c.category, c.charge_currency, c.charge_amount, c.state, c.total, c.start_at, c.created_at, c.updated_at, hash),
    ctx.db
      .prepare(
        `INSERT INTO campaign_recipients (campaign_id, seq, wa_id, to_input, parameters, message_id, state)
         SELECT ?1, CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), 'msg_' || lower(hex(randomblob(16))), 'queued'
         FROM json_each(?2)`,
      )
      .bind(c.id, JSON.stringify(rows)),
  ];
  const charge = c.charge_amount ? { currency: c.charge_currency!, amount: c.charge_amount } : null;
  if (charge) {
    // One hold per recipient, referenced by its message id, as a single send's.
    const recipients = { sql: "SELECT message_id AS reference FROM campaign_recipients WHERE campaign_id = ?", params: [c.id] };
    statements.push(reserveHoldsStatement(ctx.db, { accountId: c.account_id, ...charge, expiresAt: c.start_at + HOLD_TTL_AFTER_START_MS, now: c.created_at }, recipients));
  }
  try {
    await ctx.db.batch(statements);
    return null;
  } catch (e) {
    if (charge && isFundsViolation(e)) return insufficientFunds(charge, rows.length);
    if (c.request_key && uniqueViolation(e)?.startsWith("campaigns.")) {
      const earlier = await replayed(ctx, c.account_id, c.request_key, hash!);
      if (earlier) return earlier;
    }
    throw e;
  }
}

/** What the request means, for its idempotency key: the same number, template, recipients, start and mode. */
function campaignHash(input: CampaignInput): Promise<string> {
  const { phoneNumberId, template, recipients, startAt, forceSandbox } = input;
  return meaningHash({ phoneNumberId, template, recipients, startAt: startAt ?? null, forceSandbox: forceSandbox ?? false });
}

/** The campaign an earlier request with this key created (replayed), `conflict` when that request was a different one, or null. */
async function replayed(ctx: CoreContext, accountId: string, key: string, hash: string): Promise<Result<CreatedCampaign> | null> {
  const earlier = await ctx.db
    .prepare(`SELECT ${CAMPAIGN_COLUMNS}, request_hash FROM campaigns WHERE account_id = ? AND request_key = ?`)
    .bind(accountId, key)
    .first<CampaignRow & { request_hash: string | null }>();
  if (!earlier) return null;
  if (earlier.request_hash !== null && earlier.request_hash !== hash) return keyReused();
  const { request_hash: _, ...row } = earlier;
  return ok({ campaign: await campaignView(ctx, row), duplicates: 0, replayed: true });
}
