// Message templates: the account's list and a new one (a BODY text; the sandbox approves a valid
// template at once, Meta reviews it).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { del, get, post, rowsOf } from "../api.js";
import { useLoad } from "../hooks.js";
import { t } from "../i18n.js";
import { ActionButton, Badge, Field, Form, Loading, Screen, Table } from "../ui.js";

const bodyOf = (tpl) => tpl.components?.find((c) => c.type === "BODY")?.text ?? "—";

export function Templates() {
  const templates = useLoad(() => get("/api/v1/templates"));
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("fr");
  const [category, setCategory] = useState("UTILITY");
  const [text, setText] = useState("");
  const create = async () => {
    await post("/api/v1/templates", { name: name.trim(), language: language.trim(), category, components: [{ type: "BODY", text }] });
    setName("");
    setText("");
    await templates.reload();
  };
  const remove = async (tpl) => {
    if (!confirm(t("templates.confirmDelete", { name: tpl.name }))) return;
    await del(`/api/v1/templates/${encodeURIComponent(tpl.name)}`);
    await templates.reload();
  };
  return html`<${Screen} title=${t("templates.title")}>
    <section class="card" aria-labelledby="new-template">
      <h2 id="new-template">${t("templates.new")}</h2>
      <${Form} action=${create} submit=${t("templates.create")}>
        <${Field} label=${t("templates.name")} name="name" value=${name} onInput=${setName} required pattern="[a-z0-9_]+" hint=${t("templates.nameHint")} />
        <${Field} label=${t("templates.language")} name="language" value=${language} onInput=${setLanguage} required />
        <${Field} label=${t("templates.category")} value=${category} onInput=${setCategory} options=${["UTILITY", "MARKETING", "AUTHENTICATION"].map((c) => [c, c])} />
        <${Field} label=${t("templates.body")} name="text" type="textarea" value=${text} onInput=${setText} required hint=${t("templates.bodyHint")} />
      </${Form}>
    </section>
    <${Loading} state=${templates} />
    <${Table} caption=${t("templates.title")} rows=${rowsOf(templates.data, "templates")} columns=${[
      { label: t("templates.name"), key: "name" },
      { label: t("templates.language"), key: "language" },
      { label: t("templates.category"), key: "category" },
      { label: t("common.state"), render: (tpl) => html`<${Badge} value=${tpl.status} />` },
      { label: t("templates.body"), render: bodyOf },
      { label: t("common.actions"), render: (tpl) => html`<${ActionButton} secondary action=${() => remove(tpl)} label=${t("templates.deleteOne", { name: tpl.name })}>${t("common.delete")}</${ActionButton}>` },
    ]} />
  </${Screen}>`;
}
