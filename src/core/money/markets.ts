import { CURRENCY_DECIMALS, formatAmount, type Currency } from "../../lib/money";

/**
 * The mobile-money markets a deposit can come from: pawaPay's countries, currencies and provider
 * codes (reference/mobile-money.md §7, confirmed), and for each provider the prefixes of the
 * national number that belong to it.
 *
 * The prefixes are our inference from the operators' public numbering plans, not pawaPay data
 * (pawaPay's own answer is `POST /v2/predict-provider`). They agree with every pawaPay sandbox
 * test number in the reference. A client can always name the provider itself when a number was
 * ported or a wallet (Wave) is not tied to a prefix.
 */
export interface ProviderInfo {
  code: string;
  /** The brand the payer knows, used in instructions. */
  label: string;
  /** Prefixes of the national significant number, as libphonenumber gives it. */
  prefixes: string[];
}

export interface Market {
  /** ISO 3166 alpha-2, as libphonenumber names it. */
  region: string;
  /** ISO 3166 alpha-3, as pawaPay names it. */
  country: string;
  currencies: Currency[];
  providers: ProviderInfo[];
}

const p = (code: string, label: string, prefixes: string) => ({ code, label, prefixes: prefixes.split(" ").filter(Boolean) });

export const MARKETS: Market[] = [
  {
    region: "CD",
    country: "COD",
    currencies: ["CDF", "USD"],
    providers: [
      p("VODACOM_MPESA_COD", "Vodacom M-Pesa", "81 82 83"),
      p("AIRTEL_COD", "Airtel Money", "97 98 99"),
      p("ORANGE_COD", "Orange Money", "80 84 85 89"),
    ],
  },
  {
    region: "CG",
    country: "COG",
    currencies: ["XAF"],
    providers: [p("MTN_MOMO_COG", "MTN Mobile Money", "06"), p("AIRTEL_COG", "Airtel Money", "04 05")],
  },
  {
    region: "CM",
    country: "CMR",
    currencies: ["XAF"],
    providers: [
      p("MTN_MOMO_CMR", "MTN Mobile Money", "67 650 651 652 653 654 680 681 682 683"),
      p("ORANGE_CMR", "Orange Money", "69 640 655 656 657 658 659 686 687 688 689"),
    ],
  },
  { region: "GA", country: "GAB", currencies: ["XAF"], providers: [p("AIRTEL_GAB", "Airtel Money", "74 76 77")] },
  {
    region: "CI",
    country: "CIV",
    currencies: ["XOF"],
    providers: [p("MTN_MOMO_CIV", "MTN Mobile Money", "05"), p("ORANGE_CIV", "Orange Money", "07"), p("WAVE_CIV", "Wave", "")],
  },
  {
    region: "SN",
    country: "SEN",
    currencies: ["XOF"],
    providers: [p("ORANGE_SEN", "Orange Money", "77 78"), p("FREE_SEN", "Free Money", "76"), p("WAVE_SEN", "Wave", "")],
  },
  {
    region: "BJ",
    country: "BEN",
    // Benin moved to 10-digit numbers (01 + the old 8 digits); pawaPay's test numbers keep the old form.
    currencies: ["XOF"],
    providers: [
      p("MTN_MOMO_BEN", "MTN Mobile Money", "51 52 53 54 56 57 59 61 62 66 67 69 90 91 96 97"),
      p("MOOV_BEN", "Moov Money", "55 58 60 63 64 65 68 94 95 98 99"),
    ],
  },
  {
    region: "BF",
    country: "BFA",
    currencies: ["XOF"],
    providers: [
      p("MOOV_BFA", "Moov Money", "01 02 03 50 51 52 53 60 61 62 63 70 71 72 73"),
      p("ORANGE_BFA", "Orange Money", "04 05 06 07 54 55 56 57 64 65 66 67 74 75 76 77"),
    ],
  },
  {
    region: "KE",
    country: "KEN",
    currencies: ["KES"],
    providers: [p("MPESA_KEN", "M-Pesa", "70 71 72 740 741 742 743 745 746 748 757 758 759 768 769 79 110 111 112 113 114 115")],
  },
  {
    region: "RW",
    country: "RWA",
    currencies: ["RWF"],
    providers: [p("MTN_MOMO_RWA", "MTN Mobile Money", "78 79"), p("AIRTEL_RWA", "Airtel Money", "72 73")],
  },
  {
    region: "UG",
    country: "UGA",
    currencies: ["UGX"],
    providers: [p("MTN_MOMO_UGA", "MTN Mobile Money", "76 77 78 39"), p("AIRTEL_OAPI_UGA", "Airtel Money", "70 74 75 20")],
  },
  {
    region: "ZM",
    country: "ZMB",
    currencies: ["ZMW"],
    providers: [
      p("MTN_MOMO_ZMB", "MTN Mobile Money", "76 96"),
      p("AIRTEL_OAPI_ZMB", "Airtel Money", "77 97"),
      p("ZAMTEL_ZMB", "Zamtel Kwacha", "75 95"),
    ],
  },
  {
    region: "TZ",
    country: "TZA",
    currencies: ["TZS"],
    providers: [
      p("VODACOM_TZA", "M-Pesa", "74 75 76"),
      p("AIRTEL_TZA", "Airtel Money", "68 69 78"),
      p("TIGO_TZA", "Mixx by Yas", "65 67 71 77"),
      p("HALOTEL_TZA", "HaloPesa", "61 62"),
    ],
  },
  {
    region: "GH",
    country: "GHA",
    currencies: ["GHS"],
    providers: [
      p("MTN_MOMO_GHA", "MTN Mobile Money", "24 25 53 54 55 59"),
      p("VODAFONE_GHA", "Telecel Cash", "20 50"),
      p("AIRTELTIGO_GHA", "AirtelTigo Money", "26 27 56 57"),
    ],
  },
  {
    region: "NG",
    country: "NGA",
    currencies: ["NGN"],
    providers: [
      p("MTN_MOMO_NGA", "MoMo PSB", "703 704 706 707 803 806 810 813 814 816 903 906 913 916"),
      p("AIRTEL_NGA", "SmartCash", "701 708 802 808 812 901 902 904 907 911 912"),
    ],
  },
  { region: "MW", country: "MWI", currencies: ["MWK"], providers: [p("AIRTEL_MWI", "Airtel Money", "99"), p("TNM_MWI", "TNM Mpamba", "88")] },
  { region: "MZ", country: "MOZ", currencies: ["MZN"], providers: [p("VODACOM_MOZ", "M-Pesa", "84 85"), p("MOVITEL_MOZ", "e-Mola", "86 87")] },
  { region: "SL", country: "SLE", currencies: ["SLE"], providers: [p("ORANGE_SLE", "Orange Money", "72 73 75 76 78 79")] },
  { region: "ET", country: "ETH", currencies: ["ETB"], providers: [p("MPESA_ETH", "M-Pesa", "7")] },
  { region: "LS", country: "LSO", currencies: ["LSL"], providers: [p("MPESA_LSO", "M-Pesa", "5")] },
];

const byRegion = new Map(MARKETS.map((m) => [m.region, m]));
const byProvider = new Map(MARKETS.flatMap((m) => m.providers.map((prov) => [prov.code, { market: m, provider: prov }] as const)));

/**
 * The largest single deposit, per currency, in whole units: about USD 10,000 each, above what a
 * mobile-money wallet moves at once, and far below 2^53 minor units, so wallet arithmetic stays exact.
 */
const MAX_DEPOSIT: Record<Currency, number> = {
  CDF: 25_000_000, USD: 10_000, XAF: 6_000_000, XOF: 6_000_000, KES: 1_300_000, RWF: 13_000_000, UGX: 37_000_000, TZS: 25_000_000,
  ZMW: 250_000, GHS: 150_000, NGN: 15_000_000, MWK: 17_000_000, MZN: 640_000, SLE: 230_000, ETB: 1_300_000, LSL: 180_000,
};

/** The largest single deposit in the currency: minor units, and as the client writes it. */
export function maxDeposit(currency: Currency): { minor: number; text: string } {
  const minor = MAX_DEPOSIT[currency] * 10 ** CURRENCY_DECIMALS[currency];
  return { minor, text: formatAmount(minor, currency) };
}

export const marketOfRegion = (region: string | undefined) => (region ? byRegion.get(region) : undefined);

export const providerInfo = (code: string) => byProvider.get(code);

/** The provider whose longest prefix starts the national number, if any. */
export function predictProvider(market: Market, nationalNumber: string): ProviderInfo | undefined {
  let best: { provider: ProviderInfo; length: number } | undefined;
  for (const provider of market.providers) {
    for (const prefix of provider.prefixes) {
      if (nationalNumber.startsWith(prefix) && prefix.length > (best?.length ?? 0)) best = { provider, length: prefix.length };
    }
  }
  return best?.provider;
}
