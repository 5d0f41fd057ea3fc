import type { Dialect } from "../dialect";
import { renderNativeError } from "../native/errors";
import "./inbound-routes";
import { sandboxRouter } from "./router";

/** Simulations of what WhatsApp users do (a customer writing in); errors in the native format. */
export const sandboxDialect: Dialect = {
  name: "sandbox",
  base: "/sandbox",
  router: sandboxRouter,
  developmentOnly: true,
  renderError: renderNativeError,
};
