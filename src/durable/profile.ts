import type { BusinessProfile, WhatsAppUpstream } from "../upstreams/whatsapp/types";
import { faultRefusal, refusal, success, type DeploymentRecord, type Outcome } from "./deployment-model";
import type { RecordStore } from "./deployment-record";

export type ProfileView = { profile: BusinessProfile; photoUrl: string | null };

/**
 * The number's business profile and photo. A READY number's profile is read live from the
 * upstream over the copy kept in the record; changes go upstream first, then into the record.
 * The caller runs changes one at a time.
 */
export class Profile {
  constructor(
    private readonly records: RecordStore,
    private readonly upstream: (r: DeploymentRecord) => WhatsAppUpstream,
  ) {}

  async view(): Promise<Outcome<ProfileView>> {
    const r = this.records.current;
    if (!r) return refusal("not_found", "Deployment not found");
    if (r.state !== "READY") return success({ profile: r.profile, photoUrl: r.photoUrl });
    const live = await this.upstream(r).getProfile(r.phoneNumberId!);
    if (!live.ok) return faultRefusal(live.fault);
    return success({ profile: { ...r.profile, ...live.value.profile }, photoUrl: live.value.photoUrl ?? r.photoUrl });
  }

  async update(changes: BusinessProfile): Promise<Outcome<ProfileView>> {
    const r = this.records.ready();
    if (!r.ok) return r;
    const updated = await this.upstream(r.value).updateProfile(r.value.phoneNumberId!, changes);
    if (!updated.ok) return faultRefusal(updated.fault, "profile");
    const next = { ...this.records.current!, profile: { ...r.value.profile, ...changes }, updatedAt: Date.now() };
    this.records.save(next, false);
    return success({ profile: next.profile, photoUrl: next.photoUrl });
  }

  async setPhoto(imageUrl: string): Promise<Outcome<ProfileView>> {
    const r = this.records.ready();
    if (!r.ok) return r;
    const set = await this.upstream(r.value).setProfilePhoto(r.value.phoneNumberId!, imageUrl);
    if (!set.ok) return faultRefusal(set.fault);
    const next = { ...this.records.current!, photoUrl: imageUrl, updatedAt: Date.now() };
    this.records.save(next, false);
    return success({ profile: next.profile, photoUrl: imageUrl });
  }
}
