import { IttyRouter, type IRequest } from "itty-router";
import type { RequestContext } from "../dialect";

/** The native API's router; each `*-routes.ts` module beside this one adds its routes to it. */
export const nativeRouter = IttyRouter<IRequest, [RequestContext]>({ base: "/api/v1" });
