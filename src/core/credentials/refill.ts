/**
 * Refilling a credential's KV copy so that revocation always wins.
 *
 * KV has no conditional write, so a refill cannot say "put unless revoked". The race it must not
 * lose: a request reads D1 (credential live), a revocation then writes D1 and deletes the KV copy,
 * and only then the request's refill puts the live copy back, alive for the cache's TTL.
 *
 * The rule, on both sides:
 * - a revocation writes D1 first, then deletes the KV copy (revokeDevKey, rotateNumberKey,
 *   rotateAccountKey, the Deployment's mirror when a number leaves READY);
 * - a refill puts the KV copy first, then reads D1 again, and deletes the copy if the credential
 *   is no longer valid there.
 *
 * Why it is sound: if the refill's second read missed the revocation, that read came before the
 * revocation's D1 write, hence after the refill's put; the revocation's delete comes after its D1
 * write, so it lands after the put and removes the copy. Otherwise the second read sees the
 * revocation and the refill removes its own copy. Either way no copy of a revoked credential
 * survives both of them. It costs one more D1 read per refill (a cache miss), off the request's
 * path (deferred work), and nothing on a cache hit.
 */
export async function refillThenConfirm(put: () => Promise<void>, stillValid: () => Promise<boolean>, forget: () => Promise<void>): Promise<void> {
  await put();
  if (!(await stillValid())) await forget();
}
