/**
 * The file of a multipart media upload (Meta's `POST /{phone-number-id}/media`, 360dialog v2's
 * `/media`): the `file` part's bytes and name, typed by the form's `type` field when given, else
 * by the part's own Content-Type. Null when there is no file part (each dialect words that error).
 */
export async function uploadedFilePart(form: FormData): Promise<{ bytes: Uint8Array; type: string; filename: string } | null> {
  const file = form.get("file");
  if (!(file instanceof File)) return null;
  const declared = form.get("type");
  return {
    bytes: new Uint8Array(await file.arrayBuffer()),
    type: typeof declared === "string" && declared ? declared : file.type,
    filename: file.name || "file",
  };
}
