// The console's shell: which area (customer at /console, operator at /console/admin), the session
// (GET /api/v1/session), the login screen until there is one, then the header, the navigation and
// the screen the path names.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { accountArea } from "./account/area.js";
import { adminArea } from "./admin/area.js";
import { bindSession, del, get } from "./api.js";
import { currentLang, LANGUAGES, setLang, t } from "./i18n.js";
import { Link, match, useLocation } from "./router.js";
import { Screen } from "./ui.js";

export function App() {
  const { path, query } = useLocation();
  const area = path === "/console/admin" || path.startsWith("/console/admin/") ? adminArea : accountArea;
  const [session, setSession] = useState(undefined);
  const [, setLangState] = useState(currentLang());
  bindSession(session, () => setSession(null));

  useEffect(() => {
    get("/api/v1/session")
      .then((s) => setSession(s.role === area.role ? s : null))
      .catch(() => setSession(null));
  }, [area.role]);

  const changeLang = (code) => {
    setLang(code);
    setLangState(code);
  };
  const signOut = async () => {
    await del("/api/v1/session").catch(() => {});
    setSession(null);
  };

  const header = html`<a class="skip" href="#main">${t("nav.skip")}</a>
    <header class="top">
      <span class="brand">Tuma · ${t(area.title)}</span>
      <span class="spacer"></span>
      <${LanguageSwitch} onChange=${changeLang} />
      ${session && html`<button type="button" class="secondary" onClick=${signOut}>${t("nav.signOut")}</button>`}
    </header>`;

  if (session === undefined) return html`${header}<main id="main"><p aria-live="polite">${t("common.loading")}</p></main>`;
  if (!session) return html`${header}<main id="main" class="login"><${area.Login} onSignedIn=${setSession} /></main>`;

  const route = area.routes.map(([pattern, screen]) => [match(pattern, path), screen]).find(([params]) => params);
  const Screen_ = route ? route[1] : NotFound;
  const params = route ? route[0] : { base: area.base };
  return html`${header}
    <nav class="main" aria-label=${t("nav.label")}><ul>
      ${area.nav.map(([href, key]) => html`<li><${Link} href=${href} aria-current=${isCurrent(href, path, area.base) ? "page" : undefined}>${t(key)}</${Link}></li>`)}
    </ul></nav>
    <main id="main"><${Screen_} params=${params} query=${query} session=${session} /></main>`;
}

function isCurrent(href, path, base) {
  return href === base ? path === base : path === href || path.startsWith(`${href}/`);
}

function LanguageSwitch({ onChange }) {
  return html`<span class="row"><label for="language" class="plain">${t("nav.language")}</label>
    <select id="language" value=${currentLang()} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${LANGUAGES.map((l) => html`<option value=${l.code} lang=${l.code}>${l.name}</option>`)}
    </select></span>`;
}

function NotFound({ params }) {
  return html`<${Screen} title=${t("common.notFound")}><p><${Link} href=${params.base}>${t("nav.home")}</${Link}></p></${Screen}>`;
}
