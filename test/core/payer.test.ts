import { describe, expect, it } from "vitest";
import { resolvePayer } from "../../src/core/money/payer";
import type { Currency } from "../../src/lib/money";

const provider = (from: string, currency: Currency) => {
  const r = resolvePayer(from, currency);
  return r.ok ? r.value.provider.code : `error: ${r.issue.field}`;
};

describe("payer numbers", () => {
  it("predicts the DRC providers from the prefix", () => {
    for (const [prefix, code] of [
      ["81", "VODACOM_MPESA_COD"], ["82", "VODACOM_MPESA_COD"], ["83", "VODACOM_MPESA_COD"],
      ["97", "AIRTEL_COD"], ["98", "AIRTEL_COD"], ["99", "AIRTEL_COD"],
      ["80", "ORANGE_COD"], ["84", "ORANGE_COD"], ["85", "ORANGE_COD"], ["89", "ORANGE_COD"],
    ]) {
      expect(provider(`243${prefix}3456789`, "CDF"), prefix).toBe(code);
      expect(provider(`243${prefix}3456789`, "USD"), prefix).toBe(code);
    }
  });

  it("reads pawaPay's sandbox test numbers of the other markets", () => {
    expect(provider("22951345789", "XOF")).toBe("MTN_MOMO_BEN");
    expect(provider("2290151345789", "XOF")).toBe("MTN_MOMO_BEN");
    expect(provider("22602345678", "XOF")).toBe("MOOV_BFA");
    expect(provider("237653456789", "XAF")).toBe("MTN_MOMO_CMR");
    expect(provider("2250503456789", "XOF")).toBe("MTN_MOMO_CIV");
    expect(provider("260763456789", "ZMW")).toBe("MTN_MOMO_ZMB");
    expect(provider("250783456789", "RWF")).toBe("MTN_MOMO_RWA");
    expect(provider("254712345678", "KES")).toBe("MPESA_KEN");
  });

  it("normalises +, 00 and spacing, and keeps digits only", () => {
    const r = resolvePayer("+243 (81) 345-6789", "CDF");
    expect(r.ok && r.value.msisdn).toBe("243813456789");
    expect(r.ok && r.value.market.country).toBe("COD");
  });

  it("names what is wrong", () => {
    expect(provider("243813", "CDF")).toBe("error: from");
    expect(provider("24381345678", "CDF")).toBe("error: from"); // one digit short
    expect(provider("14155550123", "USD")).toBe("error: from"); // not a mobile-money market
    expect(provider("243903456789", "CDF")).toBe("error: from"); // Africell: no pawaPay provider
    expect(provider("243813456789", "XAF")).toBe("error: currency");
    expect(provider("2250103456789", "XOF")).toBe("error: from"); // Moov CI: not on pawaPay
    const named = resolvePayer("221761234567", "XOF", "WAVE_SEN");
    expect(named.ok && named.value.provider.code).toBe("WAVE_SEN");
    const foreign = resolvePayer("221761234567", "XOF", "WAVE_CIV");
    expect(foreign.ok).toBe(false);
  });
});
