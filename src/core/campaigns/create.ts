import { fail, ok, type FieldIssue, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { reserveHoldsStatement } from "../../stores/money/holds";
import type { MessageCategory } from "../../stores/money/prices";
import { isFundsViolation } from "../../stores/money/wallets";
import type { CanonicalMessage } from "../messages/canonical";
import { resolveSender } from "../messages/sender";
import { keyReused, meaningHash, storedKey } from "../messages/idempotency";
import { checkTemplate } from "../messages/template-gate";
import { validateMessage } from "../messages/validate";
import { chargeFor, insufficientFunds } from "../money/charging";
import { checkTemplateSend } from "../templates/template-rules";
import { DAY } from "../../lib/clock";
import { campaignView, type CampaignView } from "./progress";
import { recipientMessage, type CampaignMessage } from "./message";
import { CAMPAIGN_COLUMNS, enqueueChunks, MAX_RECIPIENTS, newCampaignId, type CampaignRow } from "./model";
import { uniqueViolation } from "../../stores/unique-violation";

export interface CampaignInput {
  accountId: string;
  /** Null picks the account's only READY number, as a single send does. */
  phoneNumberId: string | null;
  /** What every recipient gets: any message a single send can be (message.ts). */
  message: CampaignMessage;
  /** Each recipient, with its template body parameters (a template campaign only). */
  recipients: { to: string; parameters?: string[] }[];
  /** The client's metadata (EngageLab `custom_args`, native `metadata`), echoed with each recipient's statuses. */
  clientData?: Record<string, unknown> | null;
  /** No message goes out before this instant (ms since the epoch); default now. */
  startAt?: number | null;
  /** The client's idempotency key: the same key answers the campaign it created, for the same request only (else `conflict`). */
  requestKey?: string | null;
  /** The key names this request only: another request under it creates a new campaign (EngageLab `request_id`). */
  requestKeyPerRequest?: boolean;
  forceSandbox?: boolean;
  /** Renames a field (`to`, `parameters`, a canonical path such as `template.name`, `phone_number_id`) of recipient `index` (absent: the request's own). */
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

/**
 * Creates a campaign and queues it. Everything is checked before anything is written: the
 * number, the message (the template, when it is one), every recipient and its parameters, and the
 * price of all of them, with the single send's validation. Then
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
    template: JSON.stringify(checked.value.template),
    message: JSON.stringify(checked.value.message),
    client_data: input.clientData ? JSON.stringify(input.clientData) : null,
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

type Prepared = {
  rows: [waId: string, toInput: string, parameters: string | null][];
  category: MessageCategory;
  /** The message as stored: a template under the name Meta knows it by. */
  message: CampaignMessage;
  template: { name: string; upstream: string; language: { code: string } } | null;
  duplicates: number;
};

/** Validates every recipient's message as a single send's, and the template once; keeps each person once. */
async function checkRecipients(ctx: CoreContext, input: CampaignInput, field: (path: string, index?: number) => string): Promise<Result<Prepared>> {
  const named = (index: number) => (p: string) => (p === "to" ? field("to", index) : p.startsWith("template.components") && input.recipients[index]?.parameters !== undefined ? field("parameters", index) : field(p));
  const issues = new Map<string, FieldIssue>();
  if (input.message.type !== "template" && input.recipients.some((r) => r.parameters?.length)) {
    const index = input.recipients.findIndex((r) => r.parameters?.length);
    return invalid([{ field: field("parameters", index), kind: "invalid_value", reason: "parameters are a template's body parameters: this message is not a template" }]);
  }
  const valid: { index: number; waId: string; message: CanonicalMessage }[] = [];
  for (const [index, r] of input.recipients.entries()) {
    const checked = validateMessage(recipientMessage(input.message, r.to, r.parameters ?? []), named(index));
    if (checked.ok) valid.push({ index, ...checked.value });
    else for (const i of checked.error.details.issues ?? []) issues.set(`${i.field}:${i.reason}`, i);
    if (issues.size >= MAX_ISSUES) break;
  }
  if (valid.length === 0 || issues.size >= MAX_ISSUES) return invalid([...issues.values()]);
  const first = valid[0]!.message;
  // The template is looked up once, with the first recipient's parameters; the others are checked against it.
  const record = first.type === "template" ? await checkTemplate(ctx, input.accountId, first, named(valid[0]!.index)) : null;
  if (record && !record.ok) return record;
  const seen = new Set<string>();
  const rows: Prepared["rows"] = [];
  for (const v of valid) {
    if (record) {
      const params = checkTemplateSend(record.value, (v.message as TemplateMessage).template, named(v.index));
      if (!params.ok) for (const i of params.error.details.issues ?? []) issues.set(`${i.field}:${i.reason}`, i);
    }
    if (issues.size >= MAX_ISSUES) break;
    if (seen.has(v.waId)) continue;
    seen.add(v.waId);
    const r = input.recipients[v.index]!;
    rows.push([v.waId, r.to, r.parameters?.length ? JSON.stringify(r.parameters) : null]);
  }
  if (issues.size) return invalid([...issues.values()]);
  const duplicates = input.recipients.length - rows.length;
  if (!record) return ok({ rows, category: "service", message: input.message, template: null, duplicates });
  const { name, language } = (first as TemplateMessage).template;
  const upstreamName = record.value.upstreamName;
  const message = { ...input.message, template: { ...(input.message.template as object), name: upstreamName } };
  return ok({ rows, category: record.value.category.toLowerCase() as MessageCategory, message, template: { name, upstream: upstreamName, language: { code: language.code } }, duplicates });
}

const invalid = (all: FieldIssue[], issues = all.slice(0, MAX_ISSUES)) =>
  fail<never>("invalid_request", `Invalid recipients: ${issues.map((i) => i.field).slice(0, 5).join(", ")}${issues.length > 5 ? ", …" : ""}`, { issues });

/** One batch: the campaign, its recipients (from one JSON array) and their holds. An answer only when it did not write. */
async function write(ctx: CoreContext, c: CampaignRow, rows: Prepared["rows"], hash: string | null): Promise<Result<CreatedCampaign> | null> {
  const statements = [
    ctx.db
      .prepare(`INSERT INTO campaigns (${CAMPAIGN_COLUMNS}, request_hash) VALUES (${CAMPAIGN_COLUMNS.split(", ").map(() => "?").join(", ")}, ?)`)
      .bind(c.id, c.account_id, c.request_key, c.phone_number_id, c.deployment_id, c.upstream, c.template, c.message, c.client_data, c.category, c.charge_currency, c.charge_amount, c.state, c.total, c.start_at, c.created_at, c.updated_at, hash),
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

/** What the request means, for its idempotency key: the same number, message, recipients, metadata, start and mode. */
function campaignHash(input: CampaignInput): Promise<string> {
  const { phoneNumberId, message, recipients, clientData, startAt, forceSandbox } = input;
  return meaningHash({ phoneNumberId, message, recipients, clientData: clientData ?? null, startAt: startAt ?? null, forceSandbox: forceSandbox ?? false });
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
