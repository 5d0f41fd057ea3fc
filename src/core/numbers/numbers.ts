import type { CreateDeployment, DeploymentState, DeploymentView, HistoryEntry, Outcome } from "../../durable/deployment-model";
import { AppError, fail, ok, type Result } from "../../lib/errors";
import type { BusinessProfile, OtpMethod } from "../../upstreams/whatsapp/types";
import { maskSecret } from "../accounts/accounts";
import { uniqueViolation } from "../../stores/unique-violation";
import type { CoreContext } from "../../config/context";
import { newNumberKey } from "../credentials/number-keys";
import { requireActivePlan } from "../plans/subscription";
import { checkClientWaba, operatorWabaId } from "./waba";

/**
 * Numbers (deployments). The Deployment Durable Object owns each number's state; D1's mirror row
 * scopes it to its account and makes "one live deployment per number" a UNIQUE index. Every
 * function takes the caller's account: another account's deployment answers not found.
 */

export interface NumberRequest {
  cc: string;
  number: string;
  wabaId?: string | null;
  verifiedName: string;
  vnameCertificate?: string | null;
  pin?: string | null;
  method: OtpMethod;
  language: string;
  /** Send the code as soon as the number is added (Vonage) rather than on request (toKABOLA). */
  autoRequestCode: boolean;
  /** Run the steps before answering, up to CLUSTER_CREATED (toKABOLA `add`). */
  inline: boolean;
  /** A number Meta already verified (Embedded Signup): starts at CODE_VERIFIED. */
  adoptedPhoneNumberId?: string | null;
}

export interface Deployment extends DeploymentView {
  apiKeyMasked: string;
}

const stub = (ctx: CoreContext, id: string) => ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(id));

function fromOutcome<T>(outcome: Outcome<T>): Result<T> {
  if (outcome.ok) return ok(outcome.value);
  const { code, message, reason, retryAfterSeconds } = outcome;
  return { ok: false, error: new AppError(code, message, { reason, retryAfterSeconds }) };
}

interface MirrorRow {
  id: string;
  api_key_prefix: string;
}

async function ownRow(ctx: CoreContext, accountId: string, deploymentId: string): Promise<MirrorRow | null> {
  return ctx.db
    .prepare("SELECT id, api_key_prefix FROM deployments WHERE id = ? AND account_id = ?")
    .bind(deploymentId, accountId)
    .first<MirrorRow>();
}

const notFound = () => fail<never>("not_found", "Deployment does not exist or you do not have access.");

/**
 * Creates a deployment and its API key (returned in full here only), for an account with an
 * active plan or trial, on a WABA it may use. The D1 insert is the number-in-use check: the
 * partial UNIQUE index refuses a second live deployment of the number.
 */
export async function provisionNumber(
  ctx: CoreContext,
  accountId: string,
  request: NumberRequest,
): Promise<Result<{ deployment: Deployment; apiKey: string }>> {
  const plan = await requireActivePlan(ctx, accountId);
  if (!plan.ok) return plan;
  // A number Meta shared through Embedded Signup brings its own WABA; a client's choice is checked.
  const waba = request.wabaId && !request.adoptedPhoneNumberId ? await checkClientWaba(ctx, accountId, request.wabaId) : ok(request.wabaId ?? operatorWabaId(ctx));
  if (!waba.ok) return waba;
  const wabaId = waba.value;
  const id = crypto.randomUUID();
  const { apiKey, hash, prefix } = await newNumberKey();
  const now = ctx.clock.now();
  try {
    await ctx.db
      .prepare(
        `INSERT INTO deployments (id, account_id, cc, number, waba_id, upstream, state, detail, api_key_hash, api_key_prefix, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'INITIALIZING', 'Initializing deployment', ?, ?, ?, ?)`,
      )
      .bind(id, accountId, request.cc, request.number, wabaId, ctx.config.WHATSAPP_UPSTREAM, hash, prefix, now, now)
      .run();
  } catch (e) {
    if (uniqueViolation(e)?.startsWith("deployments.cc")) {
      return fail("number_in_use", "Cannot use number because it's already in use by another deployment.");
    }
    throw e;
  }
  const input: CreateDeployment = {
    id,
    accountId,
    cc: request.cc,
    number: request.number,
    wabaId,
    verifiedName: request.verifiedName,
    vnameCertificate: request.vnameCertificate ?? null,
    pin: request.pin ?? randomPin(),
    method: request.method,
    language: request.language,
    autoRequestCode: request.autoRequestCode,
    upstream: ctx.config.WHATSAPP_UPSTREAM,
    adoptedPhoneNumberId: request.adoptedPhoneNumberId ?? null,
  };
  const created = await createObject(ctx, id, input, request.inline);
  const view = fromOutcome(created);
  if (!view.ok) return view;
  ctx.log.log("info", "deployment_created", { account_id: accountId, deployment_id: id, state: view.value.state });
  return ok({ deployment: withKey(view.value, prefix), apiKey });
}

/**
 * Creates the deployment's object. If that throws (the object never answered), the deployment is
 * discarded so its mirror row does not hold the number forever.
 */
async function createObject(ctx: CoreContext, id: string, input: CreateDeployment, inline: boolean) {
  try {
    return await stub(ctx, id).create(input, { inline });
  } catch (e) {
    // The object may or may not have stored the deployment: stop it if it did, free the row if not.
    await discardDeployment(ctx, id, "Provisioning interrupted").catch(() => undefined);
    await ctx.db
      .prepare("UPDATE deployments SET state = 'DELETED', detail = 'Provisioning interrupted' WHERE id = ? AND state = 'INITIALIZING'")
      .bind(id)
      .run();
    throw e;
  }
}

/** A random 6-digit two-step PIN, kept by the deployment for (re-)registration. */
function randomPin(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(n! % 1_000_000).padStart(6, "0");
}

const withKey = (view: DeploymentView, prefix: string): Deployment => ({ ...view, apiKeyMasked: maskSecret(prefix) });

export async function getDeployment(ctx: CoreContext, accountId: string, deploymentId: string): Promise<Result<Deployment>> {
  const row = await ownRow(ctx, accountId, deploymentId);
  if (!row) return notFound();
  const view = await stub(ctx, row.id).view();
  return view ? ok(withKey(view, row.api_key_prefix)) : notFound();
}

export async function deploymentHistory(ctx: CoreContext, accountId: string, deploymentId: string): Promise<Result<HistoryEntry[]>> {
  const row = await ownRow(ctx, accountId, deploymentId);
  return row ? ok(await stub(ctx, row.id).history()) : notFound();
}

/** The live deployment of a `phone_number_id` in this account (toKABOLA addresses numbers so). */
export async function deploymentIdByPhoneNumberId(ctx: CoreContext, accountId: string, phoneNumberId: string): Promise<Result<string>> {
  const row = await ctx.db
    .prepare("SELECT id FROM deployments WHERE phone_number_id = ? AND account_id = ? AND state != 'DELETED'")
    .bind(phoneNumberId, accountId)
    .first<{ id: string }>();
  return row ? ok(row.id) : fail("not_found", "No number with this phone_number_id in this account");
}

export interface DeploymentListItem {
  id: string;
  cc: string;
  number: string;
  wabaId: string | null;
  phoneNumberId: string | null;
  state: DeploymentState;
  detail: string;
  apiKeyMasked: string;
  createdAt: number;
}

/** The account's deployments from the mirror, newest first (deleted ones only when asked). */
export async function listDeployments(ctx: CoreContext, accountId: string, includeDeleted = false, limit = 100): Promise<DeploymentListItem[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT id, cc, number, waba_id, phone_number_id, state, detail, api_key_prefix, created_at FROM deployments
       WHERE account_id = ? ${includeDeleted ? "" : "AND state != 'DELETED'"} ORDER BY created_at DESC LIMIT ?`,
    )
    .bind(accountId, limit)
    .all<{ id: string; cc: string; number: string; waba_id: string | null; phone_number_id: string | null; state: DeploymentState; detail: string; api_key_prefix: string; created_at: number }>();
  return results.map((r) => ({
    id: r.id,
    cc: r.cc,
    number: r.number,
    wabaId: r.waba_id,
    phoneNumberId: r.phone_number_id,
    state: r.state,
    detail: r.detail,
    apiKeyMasked: maskSecret(r.api_key_prefix),
    createdAt: r.created_at,
  }));
}

/** Runs one operation on an owned deployment's object. */
export async function onDeployment<T>(
  ctx: CoreContext,
  accountId: string,
  deploymentId: string,
  op: (s: ReturnType<typeof stub>) => Promise<Outcome<T>>,
): Promise<Result<T>> {
  const row = await ownRow(ctx, accountId, deploymentId);
  if (!row) return notFound();
  return fromOutcome(await op(stub(ctx, row.id)));
}

export const requestCode = (ctx: CoreContext, accountId: string, deploymentId: string, method: OtpMethod, language: string) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.requestCode(method, language));

export const verifyCode = (ctx: CoreContext, accountId: string, deploymentId: string, code: string, options: { inline: boolean }) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.verifyCode(code, options));

export const deleteDeployment = (ctx: CoreContext, accountId: string, deploymentId: string) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.remove());

const discardDeployment = async (ctx: CoreContext, deploymentId: string, detail: string) =>
  stub(ctx, deploymentId).discard(detail);

export const getProfile = (ctx: CoreContext, accountId: string, deploymentId: string) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.profile());

export const updateProfile = (ctx: CoreContext, accountId: string, deploymentId: string, changes: BusinessProfile) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.updateProfile(changes));

export const setProfilePhoto = (ctx: CoreContext, accountId: string, deploymentId: string, imageUrl: string) =>
  onDeployment(ctx, accountId, deploymentId, (s) => s.setPhoto(imageUrl));

/**
 * toKABOLA `add`: provisions and runs the steps before answering, up to CLUSTER_CREATED. A number
 * that does not get there is discarded at once (toKABOLA has no delete), so the client can retry.
 */
export async function addNumberNow(
  ctx: CoreContext,
  accountId: string,
  request: Omit<NumberRequest, "inline" | "autoRequestCode">,
): Promise<Result<{ deployment: Deployment; apiKey: string }>> {
  const added = await provisionNumber(ctx, accountId, { ...request, inline: true, autoRequestCode: false });
  if (!added.ok || added.value.deployment.state === "CLUSTER_CREATED") return added;
  const { id, state, detail } = added.value.deployment;
  await discardDeployment(ctx, id, `Abandoned: ${detail}`);
  if (state === "ERROR") {
    return fail("invalid_request", detail, { issues: [{ field: "add.phone_number", kind: "invalid_value", reason: detail }] });
  }
  return fail("upstream_failure", detail, { retryAfterSeconds: 30 });
}
