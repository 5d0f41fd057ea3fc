import type { Dialect } from "../dialect";
import { renderLamError } from "./errors";
import "./health-routes";
import "./media-routes";
import "./message-routes";
import "./on-premise-paths";
import "./template-admin-routes";
import "./template-routes";
import "./webhook-config-routes";
import { LAM_BASE, lamRouter } from "./router";

/** LAfricaMobile's WhatsApp API (a white-label of 360dialog's On-Premise API); route modules are imported above. */
export const lamDialect: Dialect = {
  name: "lam",
  base: LAM_BASE,
  router: lamRouter,
  renderError: renderLamError,
};
