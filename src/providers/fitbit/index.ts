import type { ProviderModule } from '../types.ts';
import { fitbitManifest } from './manifest.ts';
import { mapFitbit } from './map.ts';
import { fetchFitbit, fetchFitbitTarget, identifyFitbit } from './pull.ts';
import { fitbitSubscriptions } from './subscriptions.ts';
import { fitbitWebhook } from './webhook.ts';

/**
 * Fitbit through the Google Health API v4 (the legacy Fitbit Web API was switched off on 2026-11-02):
 * Google OAuth with PKCE and offline access (stable refresh tokens, revoke by `POST /revoke`), the
 * Google Health user id from `users/me/identity`, data points listed per data type with AIP paging
 * and time filters, one AUTOMATIC webhook subscriber per app whose notifications pull the changed
 * interval.
 *
 * @example
 * import { withProviderModules } from '../registry.ts';
 * const restore = withProviderModules([fitbitProvider]);
 * fitbitProvider.pull.map('hrv', { dataPoints: [{ heartRateVariability: {
 *   rootMeanSquareOfSuccessiveDifferencesMilliseconds: 42, sampleTime: { physicalTime: '2026-03-01T03:00:00Z' } } }] },
 *   { userId: 'u', providerUserId: 'g-1' }); // one heart_rate_variability_rmssd sample of 42 ms
 */
export const fitbitProvider: ProviderModule = {
  manifest: fitbitManifest,
  identify: ({ http }) => identifyFitbit(http),
  pull: {
    fetch: fetchFitbit,
    fetchTarget: fetchFitbitTarget,
    map: (resource, payload) => mapFitbit(resource, payload),
  },
  webhook: fitbitWebhook,
  subscriptions: fitbitSubscriptions,
};
