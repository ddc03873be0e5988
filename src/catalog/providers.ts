/**
 * WearLink provider slugs: the `provider` value in API responses, sync events and webhook payloads
 * (spec 000/001: lower-case slugs such as `garmin`, `oura`, `apple`).
 *
 * OAuth providers connect through `/providers/{slug}/…`; SDK providers push through `/sdk/users/{id}/sync`.
 * `google` is Android Health Connect, the successor of the Google Fit the spec names for the Android SDK.
 * `ble_hrm` is a standard Bluetooth heart-rate strap read by the user's phone app (WearMetrics source
 * `ble_hrm`, spec 003): no vendor account, the app pushes the samples.
 * `sandbox` is the built-in synthetic-data provider (DESIGN §4).
 */
export const PROVIDERS = [
  { slug: 'garmin', kind: 'oauth', name: 'Garmin' },
  { slug: 'oura', kind: 'oauth', name: 'Oura' },
  { slug: 'fitbit', kind: 'oauth', name: 'Fitbit' },
  { slug: 'whoop', kind: 'oauth', name: 'WHOOP' },
  { slug: 'polar', kind: 'oauth', name: 'Polar' },
  { slug: 'strava', kind: 'oauth', name: 'Strava' },
  { slug: 'withings', kind: 'oauth', name: 'Withings' },
  { slug: 'apple', kind: 'sdk', name: 'Apple Health' },
  { slug: 'samsung', kind: 'sdk', name: 'Samsung Health' },
  { slug: 'google', kind: 'sdk', name: 'Health Connect' },
  { slug: 'ble_hrm', kind: 'sdk', name: 'Bluetooth heart-rate monitor' },
  { slug: 'sandbox', kind: 'builtin', name: 'Sandbox' },
] as const satisfies readonly { slug: string; kind: 'oauth' | 'sdk' | 'builtin'; name: string }[];

export type ProviderSlug = (typeof PROVIDERS)[number]['slug'];
export type ProviderKind = (typeof PROVIDERS)[number]['kind'];

export const PROVIDER_SLUGS: readonly ProviderSlug[] = PROVIDERS.map((p) => p.slug);

export function isProviderSlug(value: unknown): value is ProviderSlug {
  return typeof value === 'string' && (PROVIDER_SLUGS as readonly string[]).includes(value);
}
