/**
 * The numbers' rows in D1 (table `deployments`). Each row mirrors its Deployment object, the
 * source of truth, which writes it after every transition.
 */

interface DeploymentMirror {
  id: string;
  state: string;
  detail: string;
  phoneNumberId: string | null;
  updatedAt: number;
}

/** Writes the object's state to its row; returns the hash of the number's API key, or null without a row. */
export async function mirrorDeployment(db: D1Database, r: DeploymentMirror): Promise<string | null> {
  const row = await db
    .prepare("UPDATE deployments SET state = ?, detail = ?, phone_number_id = ?, updated_at = ? WHERE id = ? RETURNING api_key_hash")
    .bind(r.state, r.detail, r.phoneNumberId, r.updatedAt, r.id)
    .first<{ api_key_hash: string }>();
  return row?.api_key_hash ?? null;
}
