// Webhooks: the account's endpoints (a new one's signing secret shown once), and the deliveries
// with every attempt; a dead (or delivered) delivery can be sent again.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { del, get, post, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { ActionButton, Badge, Field, Form, Loading, Screen, Secret, Table } from "../ui.js";

export function Webhooks() {
  const endpoints = useLoad(() => get("/api/v1/webhooks"));
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState(null);
  const add = async () => {
    const created = await post("/api/v1/webhooks", { url: url.trim() });
    setSecret(created.secret);
    setUrl("");
    await endpoints.reload();
  };
  const rotate = async (e) => {
    setSecret((await post(`/api/v1/webhooks/${encodeURIComponent(e.id)}/secret`)).secret);
  };
  const remove = async (e) => {
    if (!confirm(t("webhooks.confirmDelete", { url: e.url ?? e.id }))) return;
    await del(`/api/v1/webhooks/${encodeURIComponent(e.id)}`);
    await endpoints.reload();
  };
  return html`<${Screen} title=${t("webhooks.title")}>
    <section class="card" aria-labelledby="new-endpoint">
      <h2 id="new-endpoint">${t("webhooks.add")}</h2>
      <${Form} action=${add} submit=${t("webhooks.addSubmit")} inline>
        <${Field} label="URL" name="url" type="url" value=${url} onInput=${setUrl} required placeholder="https://" />
      </${Form}>
      <${Secret} label=${t("webhooks.secret")} value=${secret} />
    </section>
    <${Loading} state=${endpoints} />
    <${Table} caption=${t("webhooks.endpoints")} rows=${rowsOf(endpoints.data, "endpoints")} columns=${[
      { label: "URL", render: (e) => e.url ?? "—" },
      { label: t("webhooks.format"), key: "format" },
      { label: t("common.created"), render: (e) => formatDate(e.created_at) },
      { label: t("common.actions"), render: (e) => e.format === "native" && html`<span class="row">
          <${ActionButton} secondary action=${() => rotate(e)} label=${t("webhooks.rotateOne", { url: e.url })}>${t("webhooks.rotate")}</${ActionButton}>
          <${ActionButton} danger action=${() => remove(e)} label=${t("webhooks.deleteOne", { url: e.url })}>${t("common.delete")}</${ActionButton}></span>` },
    ]} />
    <${Deliveries} />
  </${Screen}>`;
}

function Deliveries() {
  const [state, setState] = useState("");
  const deliveries = useLoad(() => get(withQuery("/api/v1/deliveries", { state, limit: 50 })), [state]);
  const replay = async (d) => {
    await post(`/api/v1/deliveries/${encodeURIComponent(d.id)}/replay`);
    await deliveries.reload();
  };
  return html`<h2>${t("webhooks.deliveries")}</h2>
    <${Field} label=${t("common.state")} value=${state} onInput=${setState} options=${["", "pending", "delivered", "dead"].map((s) => [s, s ? t(`status.${s}`) : t("common.all")])} />
    <${Loading} state=${deliveries} />
    <${DeliveryTable} rows=${rowsOf(deliveries.data, "deliveries")} replay=${replay} />`;
}

/** Deliveries with their last attempt; `replay(d)` sends one again. Shared with the operator's screen. */
export function DeliveryTable({ rows, replay, extra = [] }) {
  return html`<${Table} caption=${t("webhooks.deliveries")} rows=${rows} columns=${[
    ...extra,
    { label: t("common.date"), render: (d) => formatDate(d.created_at) },
    { label: t("webhooks.event"), render: (d) => d.event_type },
    { label: t("common.state"), render: (d) => html`<${Badge} value=${d.state} />` },
    { label: t("webhooks.attempts"), num: true, render: (d) => d.attempts },
    { label: t("webhooks.lastAnswer"), render: (d) => d.last_error ?? d.last_status ?? "—" },
    { label: t("common.actions"), render: (d) => d.state !== "pending" && html`<${ActionButton} secondary action=${() => replay(d)} label=${t("webhooks.replayOne", { id: d.id })}>${t("webhooks.replay")}</${ActionButton}>` },
  ]} />`;
}
