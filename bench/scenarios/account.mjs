// Issue 2: an authenticated toKABOLA `account` call (bearer token → KV → account row) must reach
// at least 60% of the bare route's throughput.
import { beside } from "../lib.mjs";

export async function authenticatedAccount(ctx) {
  const signup = await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "signup", signup: { name: `Bench ${Date.now()}` } });
  const { id_user, key_user } = signup.data;
  const token = (await ctx.json(`${ctx.url}/tokabola/v1/`, { type: "token", token: { id_user, key_user } })).data.token;
  const measured = await beside(ctx.bare, {
    title: "authenticated toKABOLA `account`",
    url: `${ctx.url}/tokabola/v1/`,
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ type: "account" }),
    seconds: ctx.seconds,
    connections: ctx.connections,
  }, ctx.rounds);
  return {
    rows: [measured.bare, measured.route],
    checks: [
      {
        target: "authenticated `account` ≥ 60% of the bare route's req/s",
        measured: `${(measured.throughputRatio * 100).toFixed(0)}% (median of ${ctx.rounds} paired rounds)`,
        met: measured.throughputRatio >= 0.6,
      },
    ],
  };
}
