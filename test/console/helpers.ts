import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE } from "../helpers";

export const ADMIN_TOKEN = "test-admin-token";

export interface ConsoleSession {
  cookie: string;
  csrf: string;
  body: { role: string; account_id: string | null; csrf_token: string; expires_at: string };
  setCookie: string;
}

/** Logs in to the console with one credential; fails the test unless it answers 200. */
export async function login(credential: Record<string, string>): Promise<ConsoleSession> {
  const res = await exports.default.fetch(`${BASE}/api/v1/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(credential),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const setCookie = res.headers.get("Set-Cookie")!;
  const body = await res.json<ConsoleSession["body"]>();
  return { cookie: setCookie.split(";")[0]!, csrf: body.csrf_token, body, setCookie };
}

export const adminLogin = () => login({ role: "admin", token: ADMIN_TOKEN });

/** A request made the way the console's browser makes it: the cookie, and the CSRF header on changes. */
export function withSession(session: ConsoleSession, path: string, init: { method?: string; body?: unknown; csrf?: string | null } = {}): Promise<Response> {
  const method = init.method ?? "GET";
  const csrf = init.csrf === undefined ? (method === "GET" ? null : session.csrf) : init.csrf;
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      Cookie: session.cookie,
      ...(csrf ? { "X-CSRF-Token": csrf } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
