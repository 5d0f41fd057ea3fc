import { refusal, success, type DeploymentRecord, type HistoryEntry, type Outcome } from "./deployment-model";

/**
 * What the object keeps about its number: the record (one storage value) and the history of its
 * transitions (a SQLite table). A record and its history row are written in one transaction.
 */
export class RecordStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL)",
    );
  }

  get current(): DeploymentRecord | undefined {
    return this.storage.kv.get<DeploymentRecord>("record");
  }

  save(r: DeploymentRecord, withHistory: boolean): void {
    this.storage.transactionSync(() => {
      this.storage.kv.put("record", r);
      if (withHistory) this.storage.sql.exec("INSERT INTO history (at, state, detail) VALUES (?, ?, ?)", r.updatedAt, r.state, r.detail);
    });
  }

  history(): HistoryEntry[] {
    return this.storage.sql.exec<{ at: number; state: HistoryEntry["state"]; detail: string }>("SELECT at, state, detail FROM history ORDER BY seq").toArray();
  }

  /** The record of a READY number, or the refusal a client gets for any other. */
  ready(): Outcome<DeploymentRecord> {
    const r = this.current;
    if (!r) return refusal("not_found", "Deployment not found");
    if (r.state !== "READY") return refusal("conflict", `The deployment is in the ${r.state} state, not READY`, { reason: "deployment_state" });
    return success(r);
  }
}
