// One catalogue per language (i18n/fr.js, i18n/en.js, same keys: the build checks it). French
// first, the seeds' language; the choice is kept in localStorage.
import en from "./i18n/en.js";
import fr from "./i18n/fr.js";

const catalogues = { fr, en };
export const LANGUAGES = [
  { code: "fr", name: "Français" },
  { code: "en", name: "English" },
];

let lang = localStorage.getItem("tuma.lang") === "en" ? "en" : "fr";
document.documentElement.lang = lang;

export const currentLang = () => lang;

export function setLang(code) {
  lang = code;
  localStorage.setItem("tuma.lang", code);
  document.documentElement.lang = code;
}

/** The string for `key` in the current language, `{name}` replaced by vars.name. */
export function t(key, vars = {}) {
  const text = catalogues[lang][key] ?? catalogues.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

const locale = () => (lang === "fr" ? "fr-FR" : "en-GB");

export function formatDate(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale(), { dateStyle: "short", timeStyle: "medium" });
}

export function formatNumber(n) {
  if (n === null || n === undefined || n === "") return "—";
  const v = Number(n);
  return Number.isFinite(v) ? v.toLocaleString(locale()) : String(n);
}

/** `{CDF: 60000, USD: 12}` or `"60000"` + currency → `60 000 CDF · 12 USD`. */
export function formatMoney(amount, currency) {
  if (amount && typeof amount === "object") {
    const parts = Object.entries(amount).map(([c, a]) => formatMoney(a, c));
    return parts.length ? parts.join(" · ") : "—";
  }
  return `${formatNumber(amount)} ${currency ?? ""}`.trim();
}
