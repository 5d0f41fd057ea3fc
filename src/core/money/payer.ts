import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { FieldIssue, FieldIssueKind } from "../../lib/errors";
import type { Currency } from "../../lib/money";
import { MARKETS, marketOfRegion, predictProvider, providerInfo, type Market, type ProviderInfo } from "./markets";

export interface Payer {
  /** Digits only, with the country code: what pawaPay calls the phoneNumber. */
  msisdn: string;
  market: Market;
  provider: ProviderInfo;
}

/**
 * Validates a payer's mobile number for a deposit in `currency` and finds its provider: the one
 * named (it must belong to the number's country) or the one its prefix predicts.
 * Accepts `243812345678`, `+243 81 234 5678` and `00243812345678`.
 */
export function resolvePayer(from: string, currency: Currency, namedProvider?: string): { ok: true; value: Payer } | { ok: false; issue: FieldIssue } {
  const bad = (field: string, kind: FieldIssueKind, reason: string) => ({ ok: false as const, issue: { field, kind, reason } });
  const digits = from.replace(/[\s().-]/g, "").replace(/^(\+|00)/, "");
  if (!/^\d{8,15}$/.test(digits)) return bad("from", "invalid_format", "must be a mobile number in international format, such as 243812345678");
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const market = marketOfRegion(parsed?.country);
  if (!parsed || !market) {
    return bad("from", "invalid_value", `must be a number of a mobile-money market we serve (${MARKETS.map((m) => m.country).join(", ")})`);
  }
  let national = parsed.nationalNumber as string;
  // Benin's old 8-digit numbers (pawaPay's sandbox still uses them) are the new ones without "01".
  const beninLegacy = market.region === "BJ" && national.length === 8;
  if (market.region === "BJ" && national.length === 10 && national.startsWith("01")) national = national.slice(2);
  if (!parsed.isValid() && !beninLegacy) return bad("from", "invalid_format", `is not a valid ${market.country} number`);
  if (!market.currencies.includes(currency)) {
    return bad("currency", "invalid_value", `deposits from ${market.country} are in ${market.currencies.join(" or ")}`);
  }
  let provider: ProviderInfo | undefined;
  if (namedProvider) {
    const named = providerInfo(namedProvider);
    if (!named || named.market !== market) {
      return bad("provider", "invalid_value", `must be one of ${market.providers.map((x) => x.code).join(", ")} for a ${market.country} number`);
    }
    provider = named.provider;
  } else {
    provider = predictProvider(market, national);
    if (!provider) {
      return bad("from", "invalid_value", `no mobile-money provider is known for this ${market.country} prefix; name one in provider (${market.providers.map((x) => x.code).join(", ")})`);
    }
  }
  return { ok: true, value: { msisdn: digits, market, provider } };
}
