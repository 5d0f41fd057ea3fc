import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { CoreContext } from "../src/config/context";
import { createCoreContext } from "../src/config/create-context";
import type { Env } from "../src/config/env";
import type { Clock } from "../src/lib/clock";
import { createLogger } from "../src/lib/log";

export const BASE = "http://tuma.test";

export function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A `fetch` that hands every request to the Worker's own handler (there is no network in tests). */
export const workerFetch = ((input: RequestInfo | URL, init?: RequestInit) =>
  exports.default.fetch(input instanceof Request ? input : String(input), init)) as typeof fetch;

/**
 * Runs `run` with the global `fetch` sending requests to Tuma's host to the Worker's handler, for
 * SDKs that call the global `fetch` with no option to replace it: every byte of URL, headers and
 * body is what the SDK made.
 */
export async function withWorkerFetch<T>(run: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return url.startsWith(BASE) ? exports.default.fetch(url, init) : original(input, init);
  }) as typeof fetch;
  try {
    return await run();
  } finally {
    globalThis.fetch = original;
  }
}

/** POST to toKABOLA's single endpoint, with a bearer token when given. */
export function tokabola(body: unknown, token?: string): Promise<Response> {
  return post("/tokabola/v1/", body, token ? { Authorization: `Bearer ${token}` } : {});
}

let counter = 0;
/** A name no other test uses, so tests never depend on each other's accounts. */
export function uniqueName(prefix = "Boutique"): string {
  counter += 1;
  return `${prefix} ${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

export interface TestAccount {
  id: string;
  key: string;
  name: string;
}

export async function signup(overrides: Record<string, unknown> = {}): Promise<TestAccount> {
  const name = uniqueName();
  const res = await tokabola({ type: "signup", signup: { name, webhook: "https://hooks.example.com/wa", ...overrides } });
  expect(res.status).toBe(201);
  const body = await res.json<{ data: { id_user: string; key_user: string; name_user: string } }>();
  return { id: body.data.id_user, key: body.data.key_user, name: body.data.name_user };
}

export async function tokenFor(account: TestAccount): Promise<string> {
  const res = await tokabola({ type: "token", token: { id_user: account.id, key_user: account.key } });
  expect(res.status).toBe(200);
  return (await res.json<{ data: { token: string } }>()).data.token;
}

export async function signupWithToken(): Promise<TestAccount & { token: string }> {
  const account = await signup();
  return { ...account, token: await tokenFor(account) };
}

/** A core context over the test bindings, with a clock the test controls. */
export function coreContext(clock?: Clock, overrides: Partial<Env> = {}): CoreContext & { deferred: Promise<unknown>[] } {
  const deferred: Promise<unknown>[] = [];
  const ctx = createCoreContext({ ...(env as unknown as Env), ...overrides }, (p) => deferred.push(p), createLogger({ test: true }), clock);
  return Object.assign(ctx, { deferred });
}

export class ManualClock implements Clock {
  constructor(public current = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  now() {
    return this.current;
  }
  advance(ms: number) {
    this.current += ms;
  }
}
