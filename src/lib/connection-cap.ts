/**
 * Cloudflare's cap on outgoing connections (reference/platform-limits.md): an invocation has at
 * most 6 connections waiting for response headers; a 7th `fetch` waits until one of them has its
 * headers. workerd does not enforce it locally, so tests and benchmarks wrap the fetch of one
 * invocation in `cappedFetch` to behave as production does.
 */
export const CONNECTIONS_PER_INVOCATION = 6;
/** Names the invocation on each capped request, so a stand-in upstream can count per invocation. */
export const INVOCATION_HEADER = "x-invocation";

export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A fetch for one invocation: at most `limit` requests waiting for headers at once, the rest in arrival order. */
export function cappedFetch(limit = CONNECTIONS_PER_INVOCATION, base: Fetch = (input, init) => fetch(input, init)): Fetch {
  const invocation = crypto.randomUUID();
  const waiting: (() => void)[] = [];
  let open = 0;
  return async (input, init) => {
    while (open >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    open++;
    try {
      const request = new Request(input, init);
      request.headers.set(INVOCATION_HEADER, invocation);
      return await base(request);
    } finally {
      open--;
      waiting.shift()?.();
    }
  };
}
