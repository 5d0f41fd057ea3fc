// Every account's numbers for the operator: search by number or phone_number_id; one number with
// its state history and the throughput its campaigns are paced at.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Link } from "../router.js";
import { Badge, Field, Form, Loading, Screen, Table, Timeline } from "../ui.js";

export function AdminNumbers() {
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const numbers = useLoad(() => get(withQuery("/api/v1/admin/numbers", { q: search })), [search]);
  return html`<${Screen} title=${t("numbers.title")}>
    <${Form} action=${() => setSearch(q.trim())} submit=${t("common.search")} inline>
      <${Field} label=${t("numbers.search")} name="q" type="search" value=${q} onInput=${setQ} />
    </${Form}>
    <${Loading} state=${numbers} />
    <${Table} caption=${t("numbers.title")} rows=${rowsOf(numbers.data, "numbers")} columns=${[
      { label: t("numbers.number"), render: (n) => html`<${Link} href=${`/console/admin/numbers/${encodeURIComponent(n.deployment_id)}`}>${n.display_number}</${Link}>` },
      { label: "phone_number_id", render: (n) => html`<code>${n.phone_number_id ?? "—"}</code>` },
      { label: t("accounts.one", { name: "" }).trim(), render: (n) => n.account_id && html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(n.account_id)}`}>${n.account_name ?? n.account_id}</${Link}>` },
      { label: t("common.state"), render: (n) => html`<${Badge} value=${n.state} />` },
      { label: t("numbers.detail"), render: (n) => n.detail || "—" },
      { label: t("common.updated"), render: (n) => formatDate(n.updated_at ?? n.created_at) },
    ]} />
  </${Screen}>`;
}

export function AdminNumberDetail({ params }) {
  const number = useLoad(() => get(`/api/v1/admin/numbers/${encodeURIComponent(params.id)}`), [params.id]);
  const n = number.data;
  return html`<${Screen} title=${n ? n.display_number : t("numbers.title")}>
    <p><${Link} href="/console/admin/numbers">${t("numbers.back")}</${Link}></p>
    <${Loading} state=${number} />
    ${n && html`<dl>
        <dt>phone_number_id</dt><dd><code>${n.phone_number_id ?? "—"}</code></dd>
        <dt>${t("accounts.one", { name: "" }).trim()}</dt><dd><${Link} href=${`/console/admin/accounts/${encodeURIComponent(n.account_id)}`}>${n.account_id}</${Link}></dd>
        <dt>${t("common.state")}</dt><dd><${Badge} value=${n.state} /> ${n.detail}</dd>
        <dt>${t("numbers.throughput")}</dt><dd>${t("numbers.perSecond", { mps: n.messages_per_second })}</dd>
      </dl>
      <h2>${t("numbers.history")}</h2>
      <${Timeline} events=${n.history.map((h) => ({ status: h.state, at: h.at, error: h.detail ? { message: h.detail } : null }))} />`}
  </${Screen}>`;
}
