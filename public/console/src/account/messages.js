// Messages: the log with filters, a text send, one message with its status timeline (followed
// until it is read or failed), and one customer's conversation.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf, withQuery } from "../api.js";
import { useLoad, usePoll } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Link, navigate } from "../router.js";
import { Badge, Field, Form, Loading, Screen, Table, Timeline } from "../ui.js";

const FINAL = ["read", "failed"];
const STATUSES = ["", "accepted", "sent", "delivered", "read", "failed"];

/** What a message says, in a line: its text, a template's name, or its type. */
export function summary(m) {
  const c = m.content ?? {};
  return c.text?.body ?? c.body ?? (c.template ? `template ${c.template.name}` : null) ?? c.caption ?? m.type;
}

export function Messages({ query }) {
  const [recipient, setRecipient] = useState(query.get("recipient") ?? "");
  const [status, setStatus] = useState(query.get("status") ?? "");
  const [filters, setFilters] = useState({ recipient, status });
  const messages = useLoad(() => get(withQuery("/api/v1/messages", { ...filters, limit: 50 })), [filters.recipient, filters.status]);
  return html`<${Screen} title=${t("messages.title")}>
    <${SendText} onSent=${(m) => navigate(`/console/messages/${encodeURIComponent(m.id)}`)} />
    <h2>${t("messages.log")}</h2>
    <${Form} action=${() => setFilters({ recipient: recipient.replace(/\D/g, ""), status })} submit=${t("common.filter")} inline>
      <${Field} label=${t("messages.recipient")} name="recipient" type="tel" value=${recipient} onInput=${setRecipient} />
      <${Field} label=${t("common.state")} value=${status} onInput=${setStatus} options=${STATUSES.map((s) => [s, s ? t(`status.${s}`) : t("common.all")])} />
    </${Form}>
    <${Loading} state=${messages} />
    <${MessageTable} rows=${rowsOf(messages.data, "messages")} />
  </${Screen}>`;
}

function MessageTable({ rows }) {
  return html`<${Table} rows=${rows} columns=${[
    { label: t("common.date"), render: (m) => formatDate(m.created_at) },
    { label: t("messages.direction"), render: (m) => t(`messages.${m.direction}`) },
    { label: t("messages.customer"), render: (m) => html`<${Link} href=${`/console/conversations/${encodeURIComponent(m.wa_id)}`}>${m.wa_id}</${Link}>` },
    { label: t("messages.content"), render: (m) => html`<${Link} href=${`/console/messages/${encodeURIComponent(m.id)}`}>${summary(m)}</${Link}>` },
    { label: t("common.state"), render: (m) => html`<${Badge} value=${m.status} />` },
  ]} />`;
}

function SendText({ onSent }) {
  const numbers = useLoad(() => get("/api/v1/numbers"));
  const ready = rowsOf(numbers.data, "numbers").filter((n) => n.state === "READY");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [body, setBody] = useState("");
  const send = async () => {
    const sent = await post("/api/v1/messages", { phone_number_id: from || ready[0]?.phone_number_id, to: to.replace(/\D/g, ""), type: "text", text: { body } });
    setBody("");
    onSent(sent);
  };
  return html`<section class="card" aria-labelledby="send-title">
    <h2 id="send-title">${t("messages.send")}</h2>
    <${Loading} state=${numbers} />
    ${ready.length
      ? html`<${Form} action=${send} submit=${t("messages.sendSubmit")}>
          <${Field} label=${t("messages.from")} value=${from || ready[0].phone_number_id} onInput=${setFrom} options=${ready.map((n) => [n.phone_number_id, n.display_number ?? n.phone_number_id])} />
          <${Field} label=${t("messages.to")} name="to" type="tel" value=${to} onInput=${setTo} required />
          <${Field} label=${t("messages.text")} name="body" type="textarea" value=${body} onInput=${setBody} required maxlength="4096" />
        </${Form}>`
      : numbers.data && html`<p class="muted">${t("messages.noReadyNumber")} <${Link} href="/console/numbers">${t("nav.numbers")}</${Link}></p>`}
  </section>`;
}

export function MessageDetail({ params }) {
  const message = useLoad(() => get(`/api/v1/messages/${encodeURIComponent(params.id)}`), [params.id]);
  const m = message.data;
  usePoll(message.reload, 1000, m && m.direction === "outbound" && !FINAL.includes(m.status));
  return html`<${Screen} title=${t("messages.one")}>
    <${Loading} state=${message} />
    ${m && html`<dl>
        <dt>${t("common.state")}</dt><dd id="message-status"><${Badge} value=${m.status} /></dd>
        <dt>${t("messages.customer")}</dt><dd><${Link} href=${`/console/conversations/${encodeURIComponent(m.wa_id)}`}>${m.wa_id}</${Link}></dd>
        <dt>${t("messages.content")}</dt><dd>${summary(m)}</dd>
        <dt>wamid</dt><dd><code>${m.wamid ?? "—"}</code></dd>
        <dt>${t("messages.error")}</dt><dd>${m.error ? m.error.title ?? m.error.message ?? JSON.stringify(m.error) : "—"}</dd>
      </dl>
      <h2>${t("messages.timeline")}</h2>
      <${Timeline} events=${m.timeline} />`}
  </${Screen}>`;
}

export function Conversation({ params }) {
  const convo = useLoad(() => get(`/api/v1/conversations/${encodeURIComponent(params.wa_id)}`), [params.wa_id]);
  const c = convo.data;
  return html`<${Screen} title=${t("messages.conversationWith", { wa_id: params.wa_id })}>
    <${Loading} state=${convo} />
    ${c && html`${c.windows.map((w) => html`<p class=${w.open ? "notice" : "muted"}>${w.open ? t("messages.windowOpen", { until: formatDate(w.closes_at) }) : t("messages.windowClosed")} (${w.phone_number_id})</p>`)}
      <${MessageTable} rows=${c.messages} />`}
  </${Screen}>`;
}
