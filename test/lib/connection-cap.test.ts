import { describe, expect, it } from "vitest";
import { cappedFetch, INVOCATION_HEADER } from "../../src/lib/connection-cap";

/** A fetch whose answers the test releases one by one; it notes what is waiting for headers. */
function heldUpstream() {
  const waiting: { request: Request; answer: () => void }[] = [];
  const base = (input: RequestInfo | URL) =>
    new Promise<Response>((resolve) => waiting.push({ request: input as Request, answer: () => resolve(new Response("ok")) }));
  return { base, waiting };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the emulated connection cap", () => {
  it("lets 6 requests wait for headers at once; a 7th starts only when one of them is answered", async () => {
    const { base, waiting } = heldUpstream();
    const capped = cappedFetch(6, base);
    const answers = Array.from({ length: 9 }, (_, i) => capped(`https://upstream.test/${i}`));
    await settle();
    expect(waiting).toHaveLength(6);
    waiting[0]!.answer();
    await settle();
    expect(waiting).toHaveLength(7);
    expect(new URL(waiting[6]!.request.url).pathname).toBe("/6");
    for (const w of waiting) w.answer();
    await settle();
    for (const w of waiting.slice(7)) w.answer();
    expect(await Promise.all(answers.map(async (a) => (await a).status))).toEqual(Array(9).fill(200));
  });

  it("names its invocation on every request, one name per capped fetch", async () => {
    const { base, waiting } = heldUpstream();
    const [a, b] = [cappedFetch(6, base), cappedFetch(6, base)];
    void a("https://upstream.test/a1");
    void a("https://upstream.test/a2", { method: "POST", body: "{}" });
    void b("https://upstream.test/b1");
    await settle();
    const names = waiting.map((w) => w.request.headers.get(INVOCATION_HEADER));
    expect(names[0]).toBeTruthy();
    expect(names[1]).toBe(names[0]);
    expect(names[2]).not.toBe(names[0]);
    expect(waiting[1]!.request.method).toBe("POST");
  });
});
