import type { Dialect } from "../dialect";
import { renderNativeError } from "../native/errors";
import "./meta-routes";
import "./pawapay-routes";
import { webhooksRouter } from "./router";

/** Upstream callbacks (Meta, pawaPay). Route modules are imported above; errors in the native format. */
export const webhooksDialect: Dialect = {
  name: "webhooks",
  base: "/webhooks",
  router: webhooksRouter,
  renderError: renderNativeError,
};
