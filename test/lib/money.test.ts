import { describe, expect, it } from "vitest";
import { formatAmount, formatAmountShort, toMinorUnits } from "../../src/lib/money";

describe("money amounts", () => {
  it("converts decimal text and numbers to minor units exactly", () => {
    expect(toMinorUnits("25000", "CDF")).toEqual({ ok: true, value: 25000 });
    expect(toMinorUnits("10.50", "USD")).toEqual({ ok: true, value: 1050 });
    expect(toMinorUnits("10.5", "USD")).toEqual({ ok: true, value: 1050 });
    expect(toMinorUnits(10.5, "USD")).toEqual({ ok: true, value: 1050 });
    expect(toMinorUnits("0.07", "USD")).toEqual({ ok: true, value: 7 });
    expect(toMinorUnits("25000.00", "CDF")).toEqual({ ok: true, value: 25000 });
    expect(toMinorUnits("0", "CDF")).toEqual({ ok: true, value: 0 });
    expect(toMinorUnits("1.10", "KES")).toEqual({ ok: true, value: 110 });
    // 1.1 * 100 is 110.00000000000001 in floating point; the digits are never multiplied.
    expect(toMinorUnits(1.1, "KES")).toEqual({ ok: true, value: 110 });
  });

  it("refuses more decimals than the currency has, and anything not a plain decimal", () => {
    for (const [input, currency] of [
      ["10.5", "CDF"], ["0.001", "USD"], ["1.234", "KES"], [0.1 + 0.2, "USD"], ["-1", "CDF"], ["+1", "CDF"], ["1e3", "CDF"],
      ["01", "CDF"], ["1.", "USD"], [".5", "USD"], ["", "CDF"], [" 1", "CDF"], ["1,5", "USD"], [Infinity, "CDF"], [NaN, "CDF"],
      ["99999999999999999", "CDF"], ["10000000000000.01", "USD"],
    ] as const) {
      expect(toMinorUnits(input, currency).ok, `${input} ${currency}`).toBe(false);
    }
    expect(toMinorUnits("10.5", "CDF")).toEqual({ ok: false, kind: "invalid_format", reason: "CDF amounts have no decimals" });
  });

  it("formats minor units with the currency's decimals, and in pawaPay's shortest form", () => {
    expect(formatAmount(1050, "USD")).toBe("10.50");
    expect(formatAmount(7, "USD")).toBe("0.07");
    expect(formatAmount(-50000, "CDF")).toBe("-50000");
    expect(formatAmount(-5, "USD")).toBe("-0.05");
    expect(formatAmountShort(1050, "USD")).toBe("10.5");
    expect(formatAmountShort(100000, "TZS")).toBe("1000");
    expect(formatAmountShort(25000, "CDF")).toBe("25000");
    expect(formatAmountShort(7, "USD")).toBe("0.07");
  });
});
