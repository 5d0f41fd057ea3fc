import type { FieldIssueKind } from "./errors";

/**
 * Currencies and exact amounts. Money is an integer number of minor units; text such as "25000"
 * or "10.50" converts to it digit by digit, never through a float.
 *
 * Decimals follow ISO 4217, except CDF, which pawaPay's DRC providers take without decimals
 * (reference/mobile-money.md §7). The list is the currencies of pawaPay's markets plus USD.
 */
export const CURRENCY_DECIMALS = {
  CDF: 0,
  USD: 2,
  XAF: 0,
  XOF: 0,
  KES: 2,
  RWF: 0,
  UGX: 0,
  TZS: 2,
  ZMW: 2,
  GHS: 2,
  NGN: 2,
  MWK: 2,
  MZN: 2,
  SLE: 2,
  ETB: 2,
  LSL: 2,
} as const satisfies Record<string, number>;

export type Currency = keyof typeof CURRENCY_DECIMALS;

export const CURRENCIES = Object.keys(CURRENCY_DECIMALS) as Currency[];

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(CURRENCY_DECIMALS, value);
}

/** The largest amount accepted anywhere: far above any real payment, far below 2^53. */
const MAX_MINOR_UNITS = 10 ** 15;

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

/**
 * Minor units of a decimal amount, exactly: `"10.50"` USD is 1050, `"25000"` CDF is 25000.
 * A number is read through its shortest decimal form (10.5 → "10.5"), so a float that is not
 * exactly a few decimals (0.1 + 0.2) is refused rather than rounded. Trailing zeros after the
 * point are allowed ("25000.00" CDF); significant decimals beyond the currency's are not.
 */
export function toMinorUnits(input: string | number, currency: Currency): { ok: true; value: number } | { ok: false; kind: FieldIssueKind; reason: string } {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input;
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, kind: "invalid_format", reason: "must be a positive decimal number such as \"25000\" or \"10.50\"" };
  const decimals = CURRENCY_DECIMALS[currency];
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) {
    return {
      ok: false,
      kind: "invalid_format",
      reason: decimals === 0 ? `${currency} amounts have no decimals` : `${currency} amounts have at most ${decimals} decimals`,
    };
  }
  const digits = match[1]! + fraction.padEnd(decimals, "0");
  if (digits.replace(/^0+/, "").length > 16) return { ok: false, kind: "too_big", reason: "is too large" };
  const value = Number(digits);
  if (value > MAX_MINOR_UNITS) return { ok: false, kind: "too_big", reason: "is too large" };
  return { ok: true, value };
}

/** `1050` USD → `"10.50"`; `25000` CDF → `"25000"`. Always the currency's decimals. */
export function formatAmount(minor: number, currency: Currency): string {
  const decimals = CURRENCY_DECIMALS[currency];
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * The shortest exact form (`"10.5"`, `"1000"`): what pawaPay's amount pattern accepts, since it
 * refuses trailing zeros after the point.
 */
export function formatAmountShort(minor: number, currency: Currency): string {
  const full = formatAmount(minor, currency);
  return full.includes(".") ? full.replace(/0+$/, "").replace(/\.$/, "") : full;
}
