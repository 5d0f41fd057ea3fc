import * as z from "zod";
import type { Logger } from "../../lib/log";
import { formatAmountShort, isCurrency, toMinorUnits } from "../../lib/money";
import type { DepositSnapshot, InitiateOutcome, MobileMoneyUpstream, StatusOutcome } from "./types";

/**
 * pawaPay Merchant API v2 (reference/mobile-money.md §2–3): `POST /v2/deposits` and
 * `GET /v2/deposits/{depositId}`. Anything we cannot read with certainty (timeout, network
 * error, 5xx, 429, a body of the wrong shape) is `unknown`: the deposit stays pending for the
 * next poll and is never failed by guess.
 */
export interface PawapayOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  log: Logger;
}

const FailureReason = z.object({ failureCode: z.string(), failureMessage: z.string().optional() });

const InitiateResponse = z.object({
  depositId: z.string(),
  status: z.enum(["ACCEPTED", "REJECTED", "DUPLICATE_IGNORED"]),
  failureReason: FailureReason.optional(),
});

const StatusResponse = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("FOUND"),
    data: z.object({
      depositId: z.string(),
      status: z.string(),
      amount: z.string(),
      currency: z.string(),
      providerTransactionId: z.string().optional(),
      failureReason: FailureReason.optional(),
    }),
  }),
  z.object({ status: z.literal("NOT_FOUND") }),
]);

/** pawaPay statuses that are not final: the deposit stays pending (never credit IN_RECONCILIATION). */
const PENDING_STATUSES = new Set(["ACCEPTED", "SUBMITTED", "ENQUEUED", "PROCESSING", "IN_RECONCILIATION"]);

/** 4xx answers that mean pawaPay did not take the deposit; any other 4xx is not read as a verdict. */
const DEFINITE_REJECTIONS = new Set([400, 401, 403]);

type Answer = { kind: "answer"; status: number; body: unknown } | { kind: "unreachable"; reason: string };

export function pawapayMobileMoney(options: PawapayOptions): MobileMoneyUpstream {
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof Error && e.name === "TimeoutError" ? "timeout" : "network error";
      options.log.log("warn", "pawapay_unreachable", { method, path, reason });
      return { kind: "unreachable", reason };
    }
    const text = await response.text().catch(() => "");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status >= 400) options.log.log("warn", "pawapay_http_error", { method, path, status: response.status });
    return { kind: "answer", status: response.status, body: parsed };
  }

  return {
    name: "pawapay",

    async initiateDeposit(deposit: DepositSnapshot): Promise<InitiateOutcome> {
      const answer = await call("POST", "/v2/deposits", {
        depositId: deposit.id,
        amount: formatAmountShort(deposit.amount, deposit.currency),
        currency: deposit.currency,
        payer: { type: "MMO", accountDetails: { phoneNumber: deposit.payer, provider: deposit.provider } },
        customerMessage: "Recharge Tuma",
      });
      if (answer.kind === "unreachable") return { kind: "unknown", reason: answer.reason };
      if (answer.status === 200) {
        const read = InitiateResponse.safeParse(answer.body);
        if (!read.success || read.data.depositId !== deposit.id) return { kind: "unknown", reason: "malformed answer" };
        if (read.data.status !== "REJECTED") return { kind: "accepted" };
        return rejection(read.data.failureReason);
      }
      if (DEFINITE_REJECTIONS.has(answer.status)) {
        const reason = z.object({ failureReason: FailureReason }).safeParse(answer.body);
        if (answer.status !== 400) options.log.log("error", "pawapay_auth_refused", { status: answer.status });
        return rejection(reason.success ? reason.data.failureReason : { failureCode: `HTTP_${answer.status}` });
      }
      return { kind: "unknown", reason: `HTTP ${answer.status}` };
    },

    async checkDeposit(deposit: DepositSnapshot): Promise<StatusOutcome> {
      const answer = await call("GET", `/v2/deposits/${encodeURIComponent(deposit.id)}`);
      if (answer.kind === "unreachable") return { kind: "unknown", reason: answer.reason };
      if (answer.status !== 200) return { kind: "unknown", reason: `HTTP ${answer.status}` };
      const read = StatusResponse.safeParse(answer.body);
      if (!read.success) return { kind: "unknown", reason: "malformed answer" };
      if (read.data.status === "NOT_FOUND") return { kind: "not_found" };
      const data = read.data.data;
      if (data.depositId !== deposit.id) return { kind: "unknown", reason: "answer for another deposit" };
      if (data.status === "COMPLETED") {
        const amount = isCurrency(data.currency) ? toMinorUnits(data.amount, data.currency) : null;
        if (!amount?.ok) return { kind: "unknown", reason: "malformed amount" };
        return { kind: "completed", amount: amount.value, currency: data.currency, providerTransactionId: data.providerTransactionId ?? null };
      }
      if (data.status === "FAILED") {
        return {
          kind: "failed",
          code: data.failureReason?.failureCode ?? "UNKNOWN_ERROR",
          message: data.failureReason?.failureMessage ?? "",
        };
      }
      if (PENDING_STATUSES.has(data.status)) return { kind: "pending", status: data.status };
      return { kind: "unknown", reason: `unexpected status ${data.status}` };
    },
  };
}

function rejection(reason: { failureCode: string; failureMessage?: string } | undefined): InitiateOutcome {
  return { kind: "rejected", code: reason?.failureCode ?? "UNKNOWN_ERROR", message: reason?.failureMessage ?? "" };
}
