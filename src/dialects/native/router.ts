import { IttyRouter, type IRequest } from "itty-router";
import type { RequestContext } from "../dialect";
import { sessionGuard } from "./session-guard";

/**
 * The native API's router; each `*-routes.ts` module beside this one adds its routes to it. The
 * session guard comes first: it answers nothing, and authenticates cookie requests for every route.
 */
export const nativeRouter = IttyRouter<IRequest, [RequestContext]>({ base: "/api/v1" });
nativeRouter.all("*", sessionGuard);
