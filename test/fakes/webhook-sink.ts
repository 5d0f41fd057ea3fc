/**
 * A client's webhook receiver (host `hooks.sink.test`), deterministic on the path:
 *   /<key>/ok                 → 200
 *   /<key>/dead               → 500, always
 *   /<key>/fail-until/<unix>  → 503 while the delivery's signed time (Tuma-Signature t) is before <unix>, then 200
 *   /<key>/slow/<ms>          → 200 after <ms>
 *   /<key>/meta/<token>       → Meta's verification request: a GET with hub.mode=subscribe and
 *                               hub.verify_token=<token> gets 200 and hub.challenge, any other GET 403; POST → 200
 * Every request is recorded under its first path segment; `GET /_log/<key>` lists them. Tests
 * use a fresh key each, so files running side by side never see each other's requests.
 * `hooks.example.com` (the signup helper's default webhook) answers 200 and records nothing.
 */
export interface SinkRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
  /** When the request arrived (real time, ms). */
  at: number;
}

const log = new Map<string, SinkRecord[]>();

export async function webhookSink(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const [key = "", kind = "", arg = ""] = url.pathname.split("/").filter(Boolean);
  if (key === "_log") return Response.json(log.get(kind) ?? []);
  const body = request.body ? await request.text() : "";
  const at = Date.now();
  let status = 200;
  if (kind === "dead") status = 500;
  else if (kind === "fail-until") {
    const t = Number(/t=(\d+)/.exec(request.headers.get("Tuma-Signature") ?? "")?.[1] ?? 0);
    status = t < Number(arg) ? 503 : 200;
  } else if (kind === "slow") await new Promise((r) => setTimeout(r, Number(arg)));
  else if (kind === "meta" && request.method === "GET") {
    const subscribed = url.searchParams.get("hub.mode") === "subscribe" && url.searchParams.get("hub.verify_token") === arg;
    if (subscribed) return new Response(url.searchParams.get("hub.challenge") ?? "", { status: 200 });
    status = 403;
  } else if (kind !== "ok" && kind !== "meta") status = 404;
  const records = log.get(key) ?? [];
  records.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body, answered: status, at });
  log.set(key, records);
  return new Response(status === 200 ? "" : "nope", { status });
}

export const exampleHooks = () => new Response("", { status: 200 });
