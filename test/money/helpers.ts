import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import type { CoreContext } from "../../src/config/context";
import { refreshDeposit } from "../../src/core/money/deposits/refresh";
import { startDeposit } from "../../src/core/money/deposits/start";
import type { HoldRow } from "../../src/stores/money/holds";
import { depositReference } from "../../src/stores/money/references";
import { isFundsViolation } from "../../src/stores/money/wallets";
import { unwrap } from "../../src/lib/errors";
import { coreContext, uniqueName } from "../helpers";

/** DRC numbers of pawaPay's sandbox: the ending picks the outcome (see src/upstreams/mobile-money/sandbox.ts). */
export const PAYER = {
  completes: "243813456789",
  limit: "243813456019",
  notFound: "243813456029",
  notApproved: "243813456039",
  insufficient: "243813456049",
  unspecified: "243813456069",
  stuck: "243813456129",
};

export async function newAccountId(ctx: CoreContext = coreContext()): Promise<string> {
  return unwrap(await createAccount(ctx, { name: uniqueName() })).account.id;
}

/** Tops an account up through a sandbox deposit (initiate, then two checks: PROCESSING, COMPLETED). */
export async function topUp(ctx: CoreContext, accountId: string, amount: string, currency = "CDF"): Promise<string> {
  const { deposit } = unwrap(await startDeposit(ctx, accountId, { from: PAYER.completes, amount, currency }));
  await refreshDeposit(ctx, deposit.id);
  const { credited } = await refreshDeposit(ctx, deposit.id);
  expect(credited).toBe(true);
  return deposit.id;
}

export interface MoneyState {
  wallets: { currency: string; balance: number; held: number; entries: number; holds: number }[];
}

/**
 * The invariants, read straight from D1 for one account: per wallet, balance = sum of entries,
 * held = sum of HELD holds, and 0 <= held <= balance.
 */
export async function expectInvariants(accountId: string): Promise<MoneyState> {
  const rows = await env.DB.prepare(
    `SELECT w.currency, w.balance, w.held,
       (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.account_id = w.account_id AND e.currency = w.currency) AS entries,
       (SELECT COALESCE(SUM(amount), 0) FROM holds h WHERE h.account_id = w.account_id AND h.currency = w.currency AND h.status = 'HELD') AS holds
     FROM wallets w WHERE w.account_id = ?`,
  )
    .bind(accountId)
    .all<{ currency: string; balance: number; held: number; entries: number; holds: number }>();
  for (const w of rows.results) {
    expect(w.balance, `${w.currency} balance = sum of entries`).toBe(w.entries);
    expect(w.held, `${w.currency} held = sum of held holds`).toBe(w.holds);
    expect(w.balance).toBeGreaterThanOrEqual(0);
    expect(w.held).toBeGreaterThanOrEqual(0);
    expect(w.held).toBeLessThanOrEqual(w.balance);
  }
  return { wallets: rows.results };
}

export async function balanceOf(accountId: string, currency = "CDF"): Promise<{ balance: number; held: number }> {
  const row = await env.DB.prepare("SELECT balance, held FROM wallets WHERE account_id = ? AND currency = ?")
    .bind(accountId, currency)
    .first<{ balance: number; held: number }>();
  return row ?? { balance: 0, held: 0 };
}

export async function creditsOf(depositId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE reference = ?").bind(depositReference(depositId)).first<{ n: number }>();
  return row!.n;
}

export type HoldOutcome = { outcome: "changed"; hold: HoldRow } | { outcome: "unchanged" } | { outcome: "insufficient_funds" };

/**
 * Runs one hold statement of src/stores/money/holds.ts alone, as the batch that carries it would:
 * the hold it wrote, nothing when its guard let nothing through, or the wallet's refusal (which
 * the callers answer `insufficient_funds`).
 */
export async function runHold(statement: D1PreparedStatement): Promise<HoldOutcome> {
  try {
    const hold = await statement.first<HoldRow>();
    return hold ? { outcome: "changed", hold } : { outcome: "unchanged" };
  } catch (e) {
    if (isFundsViolation(e)) return { outcome: "insufficient_funds" };
    throw e;
  }
}

export async function holdOf(accountId: string, reference: string): Promise<HoldRow | null> {
  return env.DB.prepare("SELECT * FROM holds WHERE account_id = ? AND reference = ?").bind(accountId, reference).first<HoldRow>();
}
