// Mobile-money deposits for the operator: the pending ones, and "check now" (asks pawaPay, or the
// sandbox, and applies the answer exactly as the account's own check would).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, formatMoney, t } from "../i18n.js";
import { Link } from "../router.js";
import { ActionButton, Badge, Field, Loading, Screen, Table } from "../ui.js";

export function AdminDeposits() {
  const [state, setState] = useState("pending");
  const deposits = useLoad(() => get(withQuery("/api/v1/admin/deposits", { state })), [state]);
  const check = async (d) => {
    await post(`/api/v1/admin/deposits/${encodeURIComponent(d.id)}/check`);
    await deposits.reload();
  };
  return html`<${Screen} title=${t("nav.deposits")}>
    <${Field} label=${t("common.state")} value=${state} onInput=${setState} options=${["pending", "completed", "failed", "expired", ""].map((s) => [s, s ? t(`status.${s}`) : t("common.all")])} />
    <${Loading} state=${deposits} />
    <${Table} caption=${t("nav.deposits")} rows=${rowsOf(deposits.data, "deposits")} columns=${[
      { label: t("common.date"), render: (d) => formatDate(d.created_at) },
      { label: t("accounts.one", { name: "" }).trim(), render: (d) => d.account_id && html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(d.account_id)}`}>${d.account_id}</${Link}>` },
      { label: t("home.amount"), num: true, render: (d) => formatMoney(d.amount, d.currency) },
      { label: t("home.phone"), render: (d) => d.phone ?? "—" },
      { label: t("common.state"), render: (d) => html`<${Badge} value=${String(d.state ?? d.status).toLowerCase()} />` },
      { label: t("common.actions"), render: (d) => String(d.state ?? d.status).toLowerCase() === "pending" && html`<${ActionButton} secondary action=${() => check(d)} label=${t("deposits.checkOne", { id: d.id })}>${t("deposits.check")}</${ActionButton}>` },
    ]} />
  </${Screen}>`;
}
