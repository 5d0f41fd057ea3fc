/**
 * The key pair in `Authorization: Basic base64(key:secret)` (EngageLab's dev_key:dev_secret,
 * Vonage's api_key:api_secret: the same credential), or null when garbled.
 */
export function basicCredentials(header: string | null): { devKey: string; devSecret: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]!.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { devKey: decoded.slice(0, colon), devSecret: decoded.slice(colon + 1) };
}
