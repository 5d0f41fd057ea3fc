import { IttyRouter, type IRequest } from "itty-router";
import type { RequestContext } from "../dialect";

/** Intake of upstream callbacks (`/webhooks/…`); each `*-routes.ts` module beside this one adds its routes. */
export const webhooksRouter = IttyRouter<IRequest, [RequestContext]>({ base: "/webhooks" });
