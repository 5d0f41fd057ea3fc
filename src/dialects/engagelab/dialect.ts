import type { Dialect } from "../dialect";
import { renderEngagelabError } from "./errors";
import "./message-routes";
import { ENGAGELAB_BASE, engagelabRouter } from "./router";
import "./template-routes";

/** EngageLab's WhatsApp API (seed 002): send and template management. Route modules are imported above. */
export const engagelabDialect: Dialect = {
  name: "engagelab",
  base: ENGAGELAB_BASE,
  router: engagelabRouter,
  renderError: renderEngagelabError,
};
