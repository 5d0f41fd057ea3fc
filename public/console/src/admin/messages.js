// Finding a message for the operator: by Tuma id, wamid or recipient; one message's timeline.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Link } from "../router.js";
import { Badge, Field, Form, Loading, Screen, Table, Timeline } from "../ui.js";
import { summary } from "../account/messages.js";

export function AdminMessages({ query }) {
  const [q, setQ] = useState(query.get("q") ?? "");
  const [search, setSearch] = useState(q);
  const messages = useLoad(() => (search ? get(withQuery("/api/v1/admin/messages", { q: search })) : Promise.resolve(null)), [search]);
  return html`<${Screen} title=${t("messages.title")}>
    <${Form} action=${() => setSearch(q.trim())} submit=${t("common.search")} inline>
      <${Field} label=${t("messages.find")} name="q" type="search" value=${q} onInput=${setQ} required />
    </${Form}>
    <${Loading} state=${messages} />
    ${messages.data && html`<${Table} caption=${t("messages.title")} rows=${rowsOf(messages.data, "messages")} columns=${[
      { label: t("common.date"), render: (m) => formatDate(m.created_at) },
      { label: t("accounts.one", { name: "" }).trim(), render: (m) => m.account_id && html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(m.account_id)}`}>${m.account_id}</${Link}>` },
      { label: t("messages.customer"), key: "wa_id" },
      { label: t("messages.content"), render: (m) => html`<${Link} href=${`/console/admin/messages/${encodeURIComponent(m.id)}`}>${summary(m)}</${Link}>` },
      { label: t("common.state"), render: (m) => html`<${Badge} value=${m.status} />` },
    ]} />`}
  </${Screen}>`;
}

export function AdminMessageDetail({ params }) {
  const message = useLoad(() => get(`/api/v1/admin/messages/${encodeURIComponent(params.id)}`), [params.id]);
  const m = message.data?.message ?? message.data;
  return html`<${Screen} title=${t("messages.one")}>
    <p><${Link} href="/console/admin/messages">${t("messages.back")}</${Link}></p>
    <${Loading} state=${message} />
    ${m && html`<dl>
        <dt>id</dt><dd><code>${m.id}</code></dd>
        <dt>wamid</dt><dd><code>${m.wamid ?? "—"}</code></dd>
        <dt>${t("messages.customer")}</dt><dd>${m.wa_id}</dd>
        <dt>${t("common.state")}</dt><dd><${Badge} value=${m.status} /></dd>
        <dt>${t("messages.content")}</dt><dd>${summary(m)}</dd>
      </dl>
      <h2>${t("messages.timeline")}</h2>
      <${Timeline} events=${m.timeline ?? message.data.timeline} />`}
  </${Screen}>`;
}
