// Plans and prices for the operator: a plan's period and prices per currency, a message
// category's prices per currency. Currencies not named are kept; an emptied price is removed.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, put, rowsOf } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Field, Form, Loading, Screen } from "../ui.js";

export function PlansAndPrices() {
  const plans = useLoad(() => get("/api/v1/admin/plans"));
  const prices = useLoad(() => get("/api/v1/admin/prices"));
  const byCategory = {};
  for (const p of rowsOf(prices.data, "prices")) (byCategory[p.category] ??= {})[p.currency] = p.amount;
  return html`<${Screen} title=${t("plans.title")}>
    <h2>${t("plans.plans")}</h2>
    <${Loading} state=${plans} />
    ${rowsOf(plans.data, "plans").map((p) => html`<${PriceForm} key=${p.code} title=${`${p.code}${p.updated_at ? ` — ${t("plans.updated", { at: formatDate(p.updated_at) })}` : ""}`}
        prices=${p.prices} period=${p.period_days} save=${(body) => put(`/api/v1/admin/plans/${p.code}`, body)} onSaved=${plans.reload} />`)}
    <h2>${t("plans.prices")}</h2>
    <${Loading} state=${prices} />
    ${["marketing", "utility", "authentication", "service"].map((c) => html`<${PriceForm} key=${c} title=${c}
        prices=${byCategory[c] ?? {}} save=${(body) => put(`/api/v1/admin/prices/${c}`, body)} onSaved=${prices.reload} />`)}
  </${Screen}>`;
}

function PriceForm({ title, prices, period, save, onSaved }) {
  const [values, setValues] = useState(() => Object.fromEntries(Object.entries(prices ?? {}).map(([c, a]) => [c, String(a)])));
  const [days, setDays] = useState(period === undefined ? undefined : String(period));
  const [newCurrency, setNewCurrency] = useState("");
  const [newAmount, setNewAmount] = useState("");
  const [saved, setSaved] = useState(false);
  const submit = async () => {
    setSaved(false);
    const body = { prices: Object.fromEntries(Object.entries(values).map(([c, a]) => [c, a.trim() === "" ? null : a.trim()])) };
    if (newCurrency.trim() && newAmount.trim()) body.prices[newCurrency.trim().toUpperCase()] = newAmount.trim();
    if (days !== undefined) body.period_days = Number(days);
    await save(body);
    setNewCurrency("");
    setNewAmount("");
    setSaved(true);
    await onSaved();
  };
  return html`<section class="card" aria-label=${title}>
    <h3>${title}</h3>
    <${Form} action=${submit} submit=${t("common.save")} inline>
      ${days !== undefined && html`<${Field} label=${t("plans.period")} type="number" min="1" value=${days} onInput=${setDays} required />`}
      ${Object.keys(values).map((c) => html`<${Field} label=${c} inputmode="decimal" value=${values[c]} onInput=${(v) => setValues({ ...values, [c]: v })} />`)}
      <${Field} label=${t("plans.newCurrency")} value=${newCurrency} onInput=${setNewCurrency} maxlength="3" size="4" />
      <${Field} label=${t("plans.newAmount")} inputmode="decimal" value=${newAmount} onInput=${setNewAmount} />
    </${Form}>
    ${saved && html`<p class="notice" role="status">${t("plans.saved")}</p>`}
  </section>`;
}
