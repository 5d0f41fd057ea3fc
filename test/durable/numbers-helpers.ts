import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import { provisionNumber, type NumberRequest } from "../../src/core/numbers/numbers";
import type { Env } from "../../src/config/env";
import { coreContext, uniqueName } from "../helpers";

let sequence = 0;
/**
 * A national number no other test uses; `suffix` picks a trigger of the sandbox or of a fake when
 * given. Without one the number ends in 7, which no trigger does (the sandbox's 0000 and 5030, the
 * fake Graph API's 503, 429, 408, 100, 131 and 404), so an ordinary number never fails by chance.
 */
export function uniqueNumber(suffix = ""): string {
  sequence += 1;
  const base = `8${Date.now().toString().slice(-6)}${sequence.toString().padStart(3, "0")}${Math.floor(Math.random() * 10)}7`;
  return suffix ? base.slice(0, base.length - suffix.length) + suffix : base;
}

export async function newAccount(): Promise<string> {
  const created = await createAccount(coreContext(), { name: uniqueName() });
  if (!created.ok) throw created.error;
  return created.value.account.id;
}

export const request = (overrides: Partial<NumberRequest> = {}): NumberRequest => ({
  cc: "243",
  number: uniqueNumber(),
  verifiedName: "Boutique",
  method: "SMS",
  language: "fr_FR",
  autoRequestCode: true,
  inline: false,
  ...overrides,
});

export async function provision(accountId: string, overrides: Partial<NumberRequest> = {}, envOverrides: Partial<Env> = {}) {
  const result = await provisionNumber(coreContext(undefined, envOverrides), accountId, request(overrides));
  if (!result.ok) throw result.error;
  return result.value;
}

export const stubOf = (id: string) => env.DEPLOYMENTS.get(env.DEPLOYMENTS.idFromName(id));

export async function mirrorOf(id: string) {
  return env.DB.prepare("SELECT state, detail, phone_number_id, api_key_hash FROM deployments WHERE id = ?")
    .bind(id)
    .first<{ state: string; detail: string; phone_number_id: string | null; api_key_hash: string }>();
}

export async function expectState(id: string, state: string) {
  expect((await stubOf(id).view())?.state).toBe(state);
  expect((await mirrorOf(id))?.state).toBe(state);
}
