// Keys: the account key (key_user) rotated, Cloud API access tokens, EngageLab key pairs and the
// numbers' API keys. Every secret is shown once, right after it is made; lists never show one.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { del, get, post, rowsOf } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { ActionButton, Field, Form, Loading, Screen, Secret, Table } from "../ui.js";

export function Keys() {
  const [shown, setShown] = useState(null);
  const rotateKeyUser = async () => {
    if (!confirm(t("keys.confirmRotate"))) return;
    const answer = await post("/api/v1/account/rotate-key");
    setShown({ label: "key_user", value: answer.key_user });
  };
  return html`<${Screen} title=${t("keys.title")}>
    <${Secret} label=${shown?.label} value=${shown?.value} />
    <section class="card" aria-labelledby="key-user">
      <h2 id="key-user">key_user</h2>
      <p class="muted">${t("keys.keyUserIntro")}</p>
      <${ActionButton} danger action=${rotateKeyUser}>${t("keys.rotate")}</${ActionButton}>
    </section>
    <${CredentialList} title=${t("keys.cloudTokens")} path="/api/v1/cloud-api/tokens" listKey="tokens" idKey="id"
      reveal=${(c) => ({ label: t("keys.cloudToken"), value: c.access_token })} onShown=${setShown} />
    <${CredentialList} title=${t("keys.engagelab")} path="/api/v1/engagelab/keys" listKey="keys" idKey="dev_key"
      reveal=${(c) => ({ label: `dev_key ${c.dev_key} · dev_secret`, value: c.dev_secret })} onShown=${setShown} />
    <${NumberKeys} onShown=${setShown} />
  </${Screen}>`;
}

function CredentialList({ title, path, listKey, idKey, reveal, onShown }) {
  const list = useLoad(() => get(path));
  const [label, setLabel] = useState("");
  const create = async () => {
    onShown(reveal(await post(path, label.trim() ? { label: label.trim() } : {})));
    setLabel("");
    await list.reload();
  };
  const revoke = async (c) => {
    if (!confirm(t("keys.confirmRevoke"))) return;
    await del(`${path}/${encodeURIComponent(c[idKey])}`);
    await list.reload();
  };
  return html`<section class="card" aria-label=${title}>
    <h2>${title}</h2>
    <${Form} action=${create} submit=${t("keys.create")} inline>
      <${Field} label=${t("keys.label")} value=${label} onInput=${setLabel} maxlength="100" />
    </${Form}>
    <${Loading} state=${list} />
    <${Table} rows=${rowsOf(list.data, listKey)} columns=${[
      { label: t("keys.id"), render: (c) => html`<code>${c[idKey]}</code>` },
      { label: t("keys.label"), render: (c) => c.label ?? "—" },
      { label: t("common.created"), render: (c) => formatDate(c.created_at) },
      { label: t("common.state"), render: (c) => (c.revoked_at ? t("keys.revokedAt", { at: formatDate(c.revoked_at) }) : t("keys.active")) },
      { label: t("common.actions"), render: (c) => !c.revoked_at && html`<${ActionButton} danger action=${() => revoke(c)} label=${t("keys.revokeOne", { id: c[idKey] })}>${t("keys.revoke")}</${ActionButton}>` },
    ]} />
  </section>`;
}

function NumberKeys({ onShown }) {
  const numbers = useLoad(() => get("/api/v1/numbers"));
  const issue = async (n) => {
    if (!confirm(t("keys.confirmNumberKey"))) return;
    const answer = await post(`/api/v1/numbers/${encodeURIComponent(n.phone_number_id)}/api-key`);
    onShown({ label: t("keys.numberKey", { number: n.display_number ?? n.phone_number_id }), value: answer.api_key });
  };
  return html`<section class="card" aria-label=${t("keys.numberKeys")}>
    <h2>${t("keys.numberKeys")}</h2>
    <p class="muted">${t("keys.numberKeysIntro")}</p>
    <${Loading} state=${numbers} />
    <${Table} rows=${rowsOf(numbers.data, "numbers").filter((n) => n.state === "READY")} columns=${[
      { label: t("numbers.number"), render: (n) => n.display_number ?? n.phone_number_id },
      { label: t("common.actions"), render: (n) => html`<${ActionButton} secondary action=${() => issue(n)} label=${t("keys.newNumberKeyFor", { number: n.phone_number_id })}>${t("keys.newNumberKey")}</${ActionButton}>` },
    ]} />
  </section>`;
}
