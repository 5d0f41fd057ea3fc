/**
 * A fake pawaPay v2 (`POST /v2/deposits`, `GET /v2/deposits/{id}`) for `api.sandbox.pawapay.io`.
 * What it does is chosen by the payer number's last three digits, like pawaPay's own sandbox,
 * plus faults pawaPay's sandbox cannot produce. Deposits it accepted are remembered by their
 * (random, unique) id, so tests never share state.
 *
 * | payer ends with | POST /v2/deposits | GET /v2/deposits/{id} |
 * |---|---|---|
 * | 789, anything else | ACCEPTED | PROCESSING on the first check, then COMPLETED |
 * | 019 029 039 049 069 | ACCEPTED | FAILED with pawaPay's code for it |
 * | 129 | ACCEPTED | ACCEPTED, forever |
 * | 901 | answers after 1.5 s (a timeout for the caller), nothing recorded | NOT_FOUND |
 * | 902 | HTTP 500, nothing recorded | NOT_FOUND |
 * | 903 | recorded, but the answer is not JSON | as 789 |
 * | 904 | REJECTED, INVALID_PHONE_NUMBER | NOT_FOUND |
 * | 905 | recorded, but HTTP 500 | as 789 |
 * | 906 | first attempt: times out, nothing recorded; then ACCEPTED | as 789 once recorded |
 * | 911 / 912 / 913 / 914 | ACCEPTED | times out / HTTP 503 / not JSON / JSON without amount |
 * | 915 | ACCEPTED | COMPLETED for another amount |
 * | 916 | ACCEPTED | IN_RECONCILIATION, forever |
 *
 * `GET /__fake/deposits/{id}` returns what the fake recorded: the request and the checks made.
 */
export const FAKE_PAWAPAY_TOKEN = "test-pawapay-token";

interface Recorded {
  request: any;
  checks: number;
  posts: number;
}

const deposits = new Map<string, Recorded>();
const attempts = new Map<string, number>();

const FAILURES: Record<string, string> = {
  "019": "PAYER_LIMIT_REACHED",
  "029": "PAYER_NOT_FOUND",
  "039": "PAYMENT_NOT_APPROVED",
  "049": "INSUFFICIENT_BALANCE",
  "069": "UNSPECIFIED_FAILURE",
};

const AMOUNT = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const late = (response: () => Response) => new Promise<Response>((resolve) => setTimeout(() => resolve(response()), 2500));
const notJson = () => new Response("{\"depositId\": ", { status: 200, headers: { "Content-Type": "application/json" } });
const technical = (status: number, failureCode: string, failureMessage: string) =>
  Response.json({ status: "REJECTED", failureReason: { failureCode, failureMessage } }, { status });

export async function fakePawapay(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const inspect = /^\/__fake\/deposits\/([^/]+)$/.exec(url.pathname);
  if (inspect) return Response.json(deposits.get(inspect[1]!) ?? null);
  if (request.headers.get("Authorization") !== `Bearer ${FAKE_PAWAPAY_TOKEN}`) {
    return technical(401, "AUTHENTICATION_ERROR", "The API token is not valid");
  }
  if (request.method === "POST" && url.pathname === "/v2/deposits") return initiate(await request.json().catch(() => null));
  const check = /^\/v2\/deposits\/([^/]+)$/.exec(url.pathname);
  if (request.method === "GET" && check) return status(decodeURIComponent(check[1]!));
  return technical(404, "NOT_FOUND", `No route ${request.method} ${url.pathname}`);
}

function initiate(body: any): Response | Promise<Response> {
  const phone = body?.payer?.accountDetails?.phoneNumber;
  const valid =
    typeof body?.depositId === "string" && UUID.test(body.depositId) &&
    typeof body.amount === "string" && AMOUNT.test(body.amount) &&
    typeof body.currency === "string" && /^[A-Z]{3}$/.test(body.currency) &&
    body.payer?.type === "MMO" && typeof phone === "string" && /^\d{8,15}$/.test(phone) &&
    typeof body.payer.accountDetails.provider === "string";
  if (!valid) return technical(400, "INVALID_INPUT", "The request does not match the v2 deposit schema");
  const id: string = body.depositId;
  const attempt = (attempts.get(id) ?? 0) + 1;
  attempts.set(id, attempt);
  const existing = deposits.get(id);
  if (existing) {
    existing.posts += 1;
    return Response.json({ depositId: id, status: "DUPLICATE_IGNORED", created: new Date().toISOString() });
  }
  const record = () => deposits.set(id, { request: body, checks: 0, posts: attempt });
  const accepted = () => Response.json({ depositId: id, status: "ACCEPTED", created: new Date().toISOString() });
  switch (phone.slice(-3)) {
    case "901":
      return late(accepted);
    case "902":
      return new Response("upstream exploded", { status: 500 });
    case "903":
      record();
      return notJson();
    case "904":
      return Response.json({
        depositId: id,
        status: "REJECTED",
        failureReason: { failureCode: "INVALID_PHONE_NUMBER", failureMessage: `The phone number '${phone}' seems to be invalid for the provider` },
      });
    case "905":
      record();
      return new Response("gateway error", { status: 500 });
    case "906":
      if (attempt === 1) return late(accepted);
      record();
      return accepted();
    default:
      record();
      return accepted();
  }
}

function status(id: string): Response | Promise<Response> {
  const deposit = deposits.get(id);
  if (!deposit) return Response.json({ status: "NOT_FOUND" });
  deposit.checks += 1;
  const { request } = deposit;
  const phone: string = request.payer.accountDetails.phoneNumber;
  const data = (status: string, extra: Record<string, unknown> = {}) =>
    Response.json({
      status: "FOUND",
      data: {
        depositId: id,
        status,
        amount: request.amount,
        currency: request.currency,
        country: "COD",
        payer: request.payer,
        created: new Date().toISOString(),
        ...extra,
      },
    });
  const suffix = phone.slice(-3);
  const failure = FAILURES[suffix];
  if (failure) return data("FAILED", { failureReason: { failureCode: failure, failureMessage: `Sandbox ${failure}` } });
  switch (suffix) {
    case "129":
      return data("ACCEPTED");
    case "911":
      return late(() => data("COMPLETED"));
    case "912":
      return new Response("unavailable", { status: 503 });
    case "913":
      return notJson();
    case "914":
      return Response.json({ status: "FOUND", data: { depositId: id, status: "COMPLETED" } });
    case "915":
      return data("COMPLETED", { amount: `${request.amount}0` });
    case "916":
      return data("IN_RECONCILIATION");
    default:
      return deposit.checks === 1 ? data("PROCESSING") : data("COMPLETED", { providerTransactionId: `MP${id.slice(0, 8)}` });
  }
}
