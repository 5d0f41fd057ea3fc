import * as z from "zod";
import { addSticker, createStickerpack, deleteSticker, getSticker, getStickerpack, listStickerpacks, listStickers } from "../../core/numbers/stickers";
import type { Sticker } from "../../durable/stickers";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute, type RouteSpec } from "../../lib/openapi";
import { VonageErrorSchema } from "./errors";
import { requireVonageAccount, VONAGE_BASE, vonageParse, vonageRouter } from "./router";

const CreatePack = z.object({
  publisher: z.string().trim().min(1, "is required").max(128),
  name: z.string().trim().min(1, "is required").max(128),
  ios_app_store_link: z.string().trim().regex(/^https:\/\/itunes\.apple\.com\/app\/id\d+$/, "must look like https://itunes.apple.com/app/idXXXXXXXXX").optional(),
  android_app_store_link: z
    .string()
    .trim()
    .regex(/^https:\/\/play\.google\.com\/store\/apps\/details\?id=[\w.]+$/, "must look like https://play.google.com/store/apps/details?id=com.example")
    .optional(),
});
const AddSticker = z.object({
  image_data_id: z.string().trim().min(1, "is required").max(128),
  emojis: z.array(z.string().min(1).max(16)).max(3, "must hold at most 3 emojis").optional(),
});

const PackIds = z.object({ stickerpacks: z.array(z.object({ id: z.string() })) });
const PackInfo = z.object({
  stickerpacks: z.array(z.object({ name: z.string(), publisher: z.string(), android_app_store_link: z.string().nullable(), ios_app_store_link: z.string().nullable() })),
});
const Indexes = z.object({ stickers: z.array(z.object({ index: z.string() })) });
const StickerInfo = z.object({ stickers: z.array(z.object({ id: z.string(), image_data_id: z.string(), emojis: z.array(z.string()) })) });

/**
 * Vonage's schema: `index` and `id` are strings, and `id` is the sticker's media id. The only
 * media a sticker has here is the image it was added with, so `id` repeats `image_data_id`.
 */
const indexBody = (indexes: number[]) => ({ stickers: indexes.map((index) => ({ index: String(index) })) });
const stickerBody = (s: Sticker) => ({ stickers: [{ id: s.imageDataId, image_data_id: s.imageDataId, emojis: s.emojis }] });

function stickerIndex(raw: string | undefined): number {
  if (!raw || !/^\d{1,6}$/.test(raw)) throw new AppError("not_found", "Sticker not found");
  return Number(raw);
}

const PACKS = "/deployments/:id/stickerpacks";
const err = (description: string) => ({ description, schema: VonageErrorSchema });
const doc = <B extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(operationId: string, method: RouteSpec["method"], path: string, summary: string, ok: z.ZodType, body?: B, query?: Q) => {
  const responses: RouteSpec["responses"] = { 200: { description: "OK", schema: ok }, 401: err("unauthorized / jwt-expired"), 404: err("not-found") };
  if (body) Object.assign(responses, { 400: err("invalid-json"), 422: err("unprocessable") });
  return declareRoute({
    method,
    path: `${VONAGE_BASE}/deployments/{deployment_id}/stickerpacks${path}`,
    operationId,
    tag: "Vonage WhatsApp Manager",
    summary,
    security: "vonage_jwt",
    body,
    query,
    responses,
  });
};

const listPacksRoute = doc("vonageListStickerpacks", "get", "", "List third-party stickerpacks, or WhatsApp's with ?namespace=whatsapp (none are hosted here)", PackIds, undefined, z.object({ namespace: z.string().optional().describe("`whatsapp` for WhatsApp's own packs") }));
vonageRouter.get(PACKS, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { namespace } = (await listPacksRoute.read(request, vonageParse())).query;
  const ids = unwrap(await listStickerpacks(rc.core, accountId, request.params.id!, namespace ?? null));
  return json({ stickerpacks: ids.map((id) => ({ id })) });
});

const createPackRoute = doc("vonageCreateStickerpack", "post", "", "Create a third-party stickerpack", PackIds, CreatePack);
vonageRouter.post(PACKS, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const b = (await createPackRoute.read(request, vonageParse())).body;
  const id = unwrap(
    await createStickerpack(rc.core, accountId, request.params.id!, {
      name: b.name,
      publisher: b.publisher,
      iosAppStoreLink: b.ios_app_store_link ?? null,
      androidAppStoreLink: b.android_app_store_link ?? null,
    }),
  );
  return json({ stickerpacks: [{ id }] });
});

vonageRouter.get(`${PACKS}/:pack`, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const p = unwrap(await getStickerpack(rc.core, accountId, request.params.id!, request.params.pack!));
  return json({ stickerpacks: [{ name: p.name, publisher: p.publisher, android_app_store_link: p.androidAppStoreLink, ios_app_store_link: p.iosAppStoreLink }] });
});
doc("vonageGetStickerpack", "get", "/{stickerpack_id}", "Get a stickerpack", PackInfo);

vonageRouter.get(`${PACKS}/:pack/stickers`, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const indexes = unwrap(await listStickers(rc.core, accountId, request.params.id!, request.params.pack!));
  return json(indexBody(indexes));
});
doc("vonageListStickers", "get", "/{stickerpack_id}/stickers", "List a stickerpack's stickers", Indexes);

const addStickerRoute = doc("vonageAddSticker", "post", "/{stickerpack_id}/stickers", "Add a sticker (image_data_id is the sticker image's media id; at most 30 per pack)", Indexes, AddSticker);
vonageRouter.post(`${PACKS}/:pack/stickers`, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const b = (await addStickerRoute.read(request, vonageParse())).body;
  const index = unwrap(await addSticker(rc.core, accountId, request.params.id!, request.params.pack!, b.image_data_id, b.emojis ?? []));
  return json(indexBody([index]));
});

vonageRouter.get(`${PACKS}/:pack/stickers/:index`, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const s = unwrap(await getSticker(rc.core, accountId, request.params.id!, request.params.pack!, stickerIndex(request.params.index)));
  return json(stickerBody(s));
});
doc("vonageGetSticker", "get", "/{stickerpack_id}/stickers/{sticker_index}", "Get a sticker (id is the sticker's media id, the image_data_id it was added with)", StickerInfo);

vonageRouter.delete(`${PACKS}/:pack/stickers/:index`, async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const s = unwrap(await deleteSticker(rc.core, accountId, request.params.id!, request.params.pack!, stickerIndex(request.params.index)));
  return json(stickerBody(s));
});
doc("vonageDeleteSticker", "delete", "/{stickerpack_id}/stickers/{sticker_index}", "Delete a sticker; answers 200 with the deleted sticker", StickerInfo);
