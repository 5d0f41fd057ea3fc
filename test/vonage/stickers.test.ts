import { describe, expect, it } from "vitest";
import { expectVonageError, vonageClient } from "./helpers";
import { uniqueNumber } from "../durable/numbers-helpers";
import { SANDBOX_WABA_ID } from "../../src/core/numbers/waba";

async function deployment() {
  const client = await vonageClient();
  const res = await client.call("POST", "/deployments", { country_code: "44", number: uniqueNumber(), vname_certificate: "c", method: "sms", waba_id: SANDBOX_WABA_ID });
  const { deployment_id } = await res.json<{ deployment_id: string }>();
  return { client, base: `/deployments/${deployment_id}/stickerpacks` };
}

describe("Vonage stickerpacks and stickers", () => {
  it("creates a pack, adds, reads, lists and deletes stickers with Vonage's shapes and statuses", async () => {
    const { client, base } = await deployment();
    expect(await (await client.call("GET", base)).json()).toEqual({ stickerpacks: [] });
    const pack = { publisher: "your-publisher-name", name: "your-sticker-pack-name", ios_app_store_link: "https://itunes.apple.com/app/id3133333", android_app_store_link: "https://play.google.com/store/apps/details?id=com.example" };
    const created = await client.call("POST", base, pack);
    expect(created.status).toBe(200);
    const { stickerpacks } = await created.json<{ stickerpacks: { id: string }[] }>();
    const packId = stickerpacks[0]!.id;
    expect(await (await client.call("GET", base)).json()).toEqual({ stickerpacks: [{ id: packId }] });
    expect(await (await client.call("GET", `${base}?namespace=whatsapp`)).json()).toEqual({ stickerpacks: [] });
    expect(await (await client.call("GET", `${base}/${packId}`)).json()).toEqual({ stickerpacks: [{ name: pack.name, publisher: pack.publisher, android_app_store_link: pack.android_app_store_link, ios_app_store_link: pack.ios_app_store_link }] });

    const added = await client.call("POST", `${base}/${packId}/stickers`, { image_data_id: "media-1", emojis: ["🐥", "😃"] });
    expect(added.status).toBe(200);
    const { stickers: addedStickers } = await added.json<{ stickers: { index: string }[] }>();
    expect(addedStickers).toEqual([{ index: "0" }]);
    await client.call("POST", `${base}/${packId}/stickers`, { image_data_id: "media-2" });
    const listed = await (await client.call("GET", `${base}/${packId}/stickers`)).json<{ stickers: { index: string }[] }>();
    expect(listed).toEqual({ stickers: [{ index: "0" }, { index: "1" }] });

    // A client addresses a sticker with the index string it was given; `id` is the sticker's media id.
    const first = addedStickers[0]!.index;
    expect(await (await client.call("GET", `${base}/${packId}/stickers/${first}`)).json()).toEqual({ stickers: [{ id: "media-1", image_data_id: "media-1", emojis: ["🐥", "😃"] }] });
    expect(await (await client.call("GET", `${base}/${packId}/stickers/${listed.stickers[1]!.index}`)).json()).toEqual({ stickers: [{ id: "media-2", image_data_id: "media-2", emojis: [] }] });
    const deleted = await client.call("DELETE", `${base}/${packId}/stickers/${first}`);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ stickers: [{ id: "media-1", image_data_id: "media-1", emojis: ["🐥", "😃"] }] });
    await expectVonageError(await client.call("GET", `${base}/${packId}/stickers/${first}`), 404, "not-found");
    await expectVonageError(await client.call("GET", `${base}/${packId}/stickers/media-2`), 404, "not-found");
  });

  it("unknown packs and stickers, bad bodies and other accounts' deployments are refused", async () => {
    const { client, base } = await deployment();
    await expectVonageError(await client.call("GET", `${base}/${crypto.randomUUID()}`), 404, "not-found");
    await expectVonageError(await client.call("POST", `${base}/${crypto.randomUUID()}/stickers`, { image_data_id: "m" }), 404, "not-found");
    await expectVonageError(await client.call("POST", base, { name: "n" }), 422, "unprocessable");
    const other = await vonageClient();
    await expectVonageError(await other.call("GET", base), 404, "not-found");
  });
});
