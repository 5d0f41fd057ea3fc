// The login form both areas share: POST /api/v1/session, then the session (and its CSRF token).
import { html } from "htm/preact";
import { bindSession, post } from "./api.js";
import { t } from "./i18n.js";
import { Form, Screen } from "./ui.js";

/** Opens a session with `body()`; onSignedIn gets it. A wrong credential says so, plainly. */
export function SignIn({ title, intro, body, fields, onSignedIn }) {
  const action = async () => {
    try {
      const session = await post("/api/v1/session", body());
      bindSession(session, () => {});
      onSignedIn(session);
    } catch (e) {
      if (e.status === 401) throw new Error(t("login.wrong"));
      if (e.status === 429) throw new Error(t("login.throttled"));
      throw e;
    }
  };
  return html`<${Screen} title=${title}><p>${intro}</p>
    <${Form} action=${action} submit=${t("login.submit")}>${fields}</${Form}></${Screen}>`;
}
