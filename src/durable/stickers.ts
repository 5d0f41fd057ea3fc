import { refusal, success, type Outcome } from "./deployment-model";

/**
 * A deployment's third-party sticker packs and their stickers, in the object's own SQLite
 * storage. WhatsApp's own packs (namespace "whatsapp") are not hosted here: that list is empty.
 */
const MAX_STICKERS_PER_PACK = 30;

export interface StickerpackInput {
  name: string;
  publisher: string;
  iosAppStoreLink: string | null;
  androidAppStoreLink: string | null;
}

export interface Stickerpack extends StickerpackInput {
  id: string;
}

export interface Sticker {
  index: number;
  imageDataId: string;
  emojis: string[];
}

export function createStickerTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS stickerpacks (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, publisher TEXT NOT NULL,
    ios_app_store_link TEXT, android_app_store_link TEXT, created_at INTEGER NOT NULL)`);
  sql.exec(`CREATE TABLE IF NOT EXISTS stickers (
    pack_id TEXT NOT NULL, idx INTEGER NOT NULL, image_data_id TEXT NOT NULL, emojis TEXT NOT NULL,
    PRIMARY KEY (pack_id, idx))`);
}

export class StickerStore {
  constructor(private readonly sql: SqlStorage) {}

  listPacks(): string[] {
    return this.sql.exec<{ id: string }>("SELECT id FROM stickerpacks ORDER BY created_at, id").toArray().map((r) => r.id);
  }

  createPack(input: StickerpackInput, now: number): string {
    const id = crypto.randomUUID();
    this.sql.exec(
      "INSERT INTO stickerpacks (id, name, publisher, ios_app_store_link, android_app_store_link, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      input.name,
      input.publisher,
      input.iosAppStoreLink,
      input.androidAppStoreLink,
      now,
    );
    return id;
  }

  getPack(id: string): Outcome<Stickerpack> {
    const row = this.sql
      .exec<{ id: string; name: string; publisher: string; ios_app_store_link: string | null; android_app_store_link: string | null }>(
        "SELECT id, name, publisher, ios_app_store_link, android_app_store_link FROM stickerpacks WHERE id = ?",
        id,
      )
      .toArray()[0];
    if (!row) return refusal("not_found", "Stickerpack not found");
    return success({ id: row.id, name: row.name, publisher: row.publisher, iosAppStoreLink: row.ios_app_store_link, androidAppStoreLink: row.android_app_store_link });
  }

  listStickers(packId: string): Outcome<number[]> {
    const pack = this.getPack(packId);
    if (!pack.ok) return pack;
    return success(this.sql.exec<{ idx: number }>("SELECT idx FROM stickers WHERE pack_id = ? ORDER BY idx", packId).toArray().map((r) => r.idx));
  }

  addSticker(packId: string, imageDataId: string, emojis: string[]): Outcome<number> {
    const existing = this.listStickers(packId);
    if (!existing.ok) return existing;
    if (existing.value.length >= MAX_STICKERS_PER_PACK) {
      return refusal("conflict", `A stickerpack holds at most ${MAX_STICKERS_PER_PACK} stickers`);
    }
    const index = existing.value.length ? Math.max(...existing.value) + 1 : 0;
    this.sql.exec("INSERT INTO stickers (pack_id, idx, image_data_id, emojis) VALUES (?, ?, ?, ?)", packId, index, imageDataId, JSON.stringify(emojis));
    return success(index);
  }

  getSticker(packId: string, index: number): Outcome<Sticker> {
    const pack = this.getPack(packId);
    if (!pack.ok) return pack;
    const row = this.sql
      .exec<{ idx: number; image_data_id: string; emojis: string }>("SELECT idx, image_data_id, emojis FROM stickers WHERE pack_id = ? AND idx = ?", packId, index)
      .toArray()[0];
    if (!row) return refusal("not_found", "Sticker not found");
    return success({ index: row.idx, imageDataId: row.image_data_id, emojis: JSON.parse(row.emojis) as string[] });
  }

  deleteSticker(packId: string, index: number): Outcome<Sticker> {
    const sticker = this.getSticker(packId, index);
    if (sticker.ok) this.sql.exec("DELETE FROM stickers WHERE pack_id = ? AND idx = ?", packId, index);
    return sticker;
  }
}

export type StickerOp =
  | { kind: "listPacks"; namespace: string | null }
  | { kind: "createPack"; input: StickerpackInput }
  | { kind: "getPack"; packId: string }
  | { kind: "listStickers"; packId: string }
  | { kind: "addSticker"; packId: string; imageDataId: string; emojis: string[] }
  | { kind: "getSticker"; packId: string; index: number }
  | { kind: "deleteSticker"; packId: string; index: number };

/** One sticker operation, as the Deployment object's single sticker RPC method receives it. */
export function runStickerOp(store: StickerStore, op: StickerOp, now: number): Outcome<unknown> {
  switch (op.kind) {
    case "listPacks":
      return success(op.namespace === "whatsapp" ? [] : store.listPacks());
    case "createPack":
      return success(store.createPack(op.input, now));
    case "getPack":
      return store.getPack(op.packId);
    case "listStickers":
      return store.listStickers(op.packId);
    case "addSticker":
      return store.addSticker(op.packId, op.imageDataId, op.emojis);
    case "getSticker":
      return store.getSticker(op.packId, op.index);
    case "deleteSticker":
      return store.deleteSticker(op.packId, op.index);
  }
}
