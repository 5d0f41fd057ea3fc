import type { Outcome } from "../../durable/deployment-model";
import type { Sticker, Stickerpack, StickerpackInput, StickerOp } from "../../durable/stickers";
import type { Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { onDeployment } from "./numbers";

/** A deployment's sticker packs, kept by its Durable Object; scoped to the account like the rest. */
const op = <T>(ctx: CoreContext, accountId: string, deploymentId: string, operation: StickerOp): Promise<Result<T>> =>
  onDeployment<T>(ctx, accountId, deploymentId, (s) => s.stickers(operation) as unknown as Promise<Outcome<T>>);

export const listStickerpacks = (ctx: CoreContext, accountId: string, id: string, namespace: string | null) =>
  op<string[]>(ctx, accountId, id, { kind: "listPacks", namespace });
export const createStickerpack = (ctx: CoreContext, accountId: string, id: string, input: StickerpackInput) =>
  op<string>(ctx, accountId, id, { kind: "createPack", input });
export const getStickerpack = (ctx: CoreContext, accountId: string, id: string, packId: string) =>
  op<Stickerpack>(ctx, accountId, id, { kind: "getPack", packId });
export const listStickers = (ctx: CoreContext, accountId: string, id: string, packId: string) =>
  op<number[]>(ctx, accountId, id, { kind: "listStickers", packId });
export const addSticker = (ctx: CoreContext, accountId: string, id: string, packId: string, imageDataId: string, emojis: string[]) =>
  op<number>(ctx, accountId, id, { kind: "addSticker", packId, imageDataId, emojis });
export const getSticker = (ctx: CoreContext, accountId: string, id: string, packId: string, index: number) =>
  op<Sticker>(ctx, accountId, id, { kind: "getSticker", packId, index });
export const deleteSticker = (ctx: CoreContext, accountId: string, id: string, packId: string, index: number) =>
  op<Sticker>(ctx, accountId, id, { kind: "deleteSticker", packId, index });
