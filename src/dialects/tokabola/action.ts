import * as z from "zod";
import type { RequestContext } from "../dialect";

/**
 * One toKABOLA `type`. The body schema is built per environment because client URLs may be
 * plain-http localhost outside production.
 */
export interface TokabolaAction<S extends z.ZodType = z.ZodType> {
  type: string;
  summary: string;
  /** Whether the action needs `Authorization: Bearer`. */
  auth: boolean;
  body: (options: { production: boolean }) => S;
  /** The `data` of a success, for the OpenAPI document. */
  data: z.ZodType;
  run(rc: RequestContext, body: z.output<S>, accountId: string | null, request: Request): Promise<TokabolaSuccess>;
}

export interface TokabolaSuccess {
  message: string;
  data: unknown;
  status?: number;
}

/** Builds a body schema once per environment instead of on every request. */
function once<S>(build: (options: { production: boolean }) => S): (options: { production: boolean }) => S {
  const built = new Map<boolean, S>();
  return (options) => {
    let schema = built.get(options.production);
    if (!schema) built.set(options.production, (schema = build(options)));
    return schema;
  };
}

/** Keeps each action's body type tied to its `run`. */
export const defineAction = <S extends z.ZodType>(action: TokabolaAction<S>): TokabolaAction =>
  ({ ...action, body: once(action.body) }) as unknown as TokabolaAction;

/** The seed's success envelope. */
export const successEnvelope = (data: z.ZodType) =>
  z.object({ status: z.literal("success"), message: z.string(), data });

/**
 * One value of `update.account` ("infos", "renew", "number"): the extra top-level object it
 * reads and what it does.
 */
export interface UpdateTarget<S extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  body: (options: { production: boolean }) => S;
  run(rc: RequestContext, body: z.output<S>, accountId: string): Promise<TokabolaSuccess>;
}

export const defineUpdateTarget = <S extends z.ZodType>(target: UpdateTarget<S>): UpdateTarget =>
  ({ ...target, body: once(target.body) }) as unknown as UpdateTarget;
