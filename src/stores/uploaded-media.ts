/**
 * Files clients upload (Cloud API `POST /{phone-number-id}/media`, 360dialog `/media`), in the
 * MEDIA bucket. Every R2 key of that bucket is built here: `uploads/<media id>`, one object per
 * upload, with its owner and what Meta's `GET /{media-id}` tells in its custom metadata. Keyed by
 * the id alone (no D1 row): a lookup reads the object's head, and the caller checks the owner.
 */
export interface UploadedMedia {
  id: string;
  accountId: string;
  /** The number it was uploaded under (`?phone_number_id=` on GET and DELETE must match it). */
  phoneNumberId: string;
  mimeType: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  fileSize: number;
  filename: string;
  uploadedAt: number;
}

const uploadKey = (mediaId: string) => `uploads/${mediaId}`;

function recordOf(object: R2Object): UploadedMedia | null {
  const m = object.customMetadata ?? {};
  if (!m.account_id || !m.phone_number_id) return null;
  return {
    id: object.key.slice("uploads/".length),
    accountId: m.account_id,
    phoneNumberId: m.phone_number_id,
    mimeType: object.httpMetadata?.contentType ?? "application/octet-stream",
    sha256: m.sha256 ?? "",
    fileSize: object.size,
    filename: m.filename ?? "file",
    uploadedAt: object.uploaded.getTime(),
  };
}

export async function putUploadedMedia(bucket: R2Bucket, media: Omit<UploadedMedia, "fileSize" | "uploadedAt">, bytes: Uint8Array): Promise<void> {
  await bucket.put(uploadKey(media.id), bytes, {
    httpMetadata: { contentType: media.mimeType },
    customMetadata: { account_id: media.accountId, phone_number_id: media.phoneNumberId, sha256: media.sha256, filename: media.filename },
  });
}

/** The upload's record, without its bytes; null when there is none. */
export async function findUploadedMedia(bucket: R2Bucket, mediaId: string): Promise<UploadedMedia | null> {
  const object = await bucket.head(uploadKey(mediaId));
  return object ? recordOf(object) : null;
}

/** The upload's record and bytes; null when there is none. */
export async function readUploadedMedia(bucket: R2Bucket, mediaId: string): Promise<{ media: UploadedMedia; body: ReadableStream } | null> {
  const object = await bucket.get(uploadKey(mediaId));
  const media = object ? recordOf(object) : null;
  return object && media ? { media, body: object.body } : null;
}

export async function deleteUploadedMedia(bucket: R2Bucket, mediaId: string): Promise<void> {
  await bucket.delete(uploadKey(mediaId));
}
