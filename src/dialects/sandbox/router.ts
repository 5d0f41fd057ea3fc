import { IttyRouter, type IRequest } from "itty-router";
import type { RequestContext } from "../dialect";

/** The sandbox's own routes (`/sandbox/…`); each `*-routes.ts` module beside this one adds its routes. */
export const sandboxRouter = IttyRouter<IRequest, [RequestContext]>({ base: "/sandbox" });
