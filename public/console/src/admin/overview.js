// The operator's overview: messages per day by status and deposits per day (SVG charts), and
// what needs attention: failing deliveries, pending deposits, poison and unrouted events.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatMoney, formatNumber, t } from "../i18n.js";
import { Link } from "../router.js";
import { Field, Loading, Screen, Stat } from "../ui.js";
import { BarChart } from "./charts.js";

/** `{dead, retrying}`: the dead letters and the deliveries still being retried. */
const failing = (f) => (f && typeof f === "object" ? t("overview.deadRetrying", { dead: formatNumber(f.dead), retrying: formatNumber(f.retrying) }) : formatNumber(f));

export function Overview() {
  const [days, setDays] = useState("14");
  const overview = useLoad(() => get(`/api/v1/admin/overview?days=${days}`), [days]);
  const o = overview.data;
  const perDay = o?.days ?? [];
  const messageSeries = [
    ["sent", "#4c78a8"],
    ["delivered", "#59a14f"],
    ["read", "#0a5c36"],
    ["failed", "#b42318"],
  ].map(([key, color]) => ({ key, color, label: t(`status.${key}`), value: (d) => Number(d[key] ?? 0) }));
  const depositSeries = [{ key: "count", color: "#9a3412", label: t("overview.deposits"), value: (d) => Number(d.deposits?.count ?? 0) }];
  const totalAmounts = {};
  for (const d of perDay) for (const [c, a] of Object.entries(d.deposits?.amounts ?? {})) totalAmounts[c] = (totalAmounts[c] ?? 0) + Number(a);
  return html`<${Screen} title=${t("overview.title")}>
    <${Field} label=${t("overview.period")} value=${days} onInput=${setDays} options=${["7", "14", "30"].map((d) => [d, t("overview.days", { days: d })])} />
    <${Loading} state=${overview} />
    ${o && html`<div class="cards">
        <${Stat} label=${html`<${Link} href="/console/admin/deliveries">${t("overview.failingDeliveries")}</${Link}>`} value=${failing(o.failing_deliveries)} />
        <${Stat} label=${html`<${Link} href="/console/admin/deposits">${t("overview.pendingDeposits")}</${Link}>`} value=${formatNumber(o.pending_deposits)} />
        <${Stat} label=${t("overview.poison")} value=${formatNumber(o.poison_events)} />
        <${Stat} label=${t("overview.unrouted")} value=${formatNumber(o.unrouted_events)} />
      </div>
      <h2>${t("overview.messagesPerDay")}</h2>
      <${BarChart} id="messages-chart" title=${t("overview.messagesPerDay")} days=${perDay} series=${messageSeries} />
      <h2>${t("overview.depositsPerDay")}</h2>
      <p>${t("overview.depositTotal", { amounts: formatMoney(totalAmounts) })}</p>
      <${BarChart} id="deposits-chart" title=${t("overview.depositsPerDay")} days=${perDay} series=${depositSeries} />`}
  </${Screen}>`;
}
