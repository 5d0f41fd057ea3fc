import { kvKeys } from "./kv";

/** Drops the KV copy of a number API key (rotation, or the number left READY). */
export const forgetNumberKey = (kv: KVNamespace, hash: string) => kv.delete(kvKeys.numberKey(hash));
