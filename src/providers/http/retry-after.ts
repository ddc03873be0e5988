import type { ProviderManifest } from '../manifest.ts';

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * How long to wait after a vendor's rate-limit answer, read the way the manifest says its headers mean
 * (a Retry-After in seconds or as an HTTP date, a reset as epoch seconds or seconds from now, or Strava's
 * windows that end at :00, :15, :30 and :45 — or at midnight UTC once the daily count is spent), else the manifest's default. At least 1 s, at most a day.
 *
 * @example retryAfterSeconds(oura, new Headers({ 'retry-after': '30' })) // 30
 */
export function retryAfterSeconds(manifest: ProviderManifest, headers: Headers, now = Date.now()): number {
  const h = manifest.api.rate_limit_headers;
  const clamp = (seconds: number) => Math.min(86_400, Math.max(1, Math.ceil(seconds)));
  const retryAfter = headers.get(h.retry_after ?? 'retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return clamp(seconds);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return clamp((at - now) / 1000);
  }
  const reset = h.reset === undefined ? null : headers.get(h.reset);
  // Some vendors send one value per window ("12, 3400"): the first (shortest) window is the one to wait for.
  const value = reset === null ? Number.NaN : Number(reset.split(',')[0]?.trim());
  if (Number.isFinite(value)) {
    if (h.reset_kind === 'epoch_seconds') return clamp(value - now / 1000);
    if (h.reset_kind === 'seconds') return clamp(value);
  }
  if (h.reset_kind === 'quarter_hour') {
    // Strava sends "15-minute,daily" pairs: when the daily count is spent, the wait is until midnight UTC.
    const pair = (name: string | undefined) =>
      name === undefined ? [] : (headers.get(name) ?? '').split(',').map(Number);
    const [, dailyLimit] = pair(h.limit);
    const [, dailyUsage] = pair(h.usage);
    if (dailyLimit !== undefined && dailyUsage !== undefined && dailyUsage >= dailyLimit)
      return clamp((DAY_MS - (now % DAY_MS)) / 1000);
    return clamp((QUARTER_HOUR_MS - (now % QUARTER_HOUR_MS)) / 1000);
  }
  return clamp(manifest.api.default_retry_after_seconds);
}
