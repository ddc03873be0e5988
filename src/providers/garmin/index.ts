import type { ProviderModule } from '../types.ts';
import { garminManifest } from './manifest.ts';
import { mapGarmin } from './map.ts';
import {
  confirmGarminGrant,
  fetchGarmin,
  fetchGarminTarget,
  garminBackfill,
  identifyGarmin,
  revokeGarmin,
} from './pull.ts';
import { garminWebhook } from './webhook.ts';

/**
 * Garmin (Health API + Activity API): OAuth 2.0 with PKCE S256, the Garmin user id and permissions read
 * after the exchange, data pushed (or pinged with a callback URL) to `/api/v1/webhooks/garmin`, history
 * asked for by backfill requests per summary type, disconnect by deleting the user's registration.
 *
 * @example
 * import { findProviderModule } from '../registry.ts';
 * const garmin = findProviderModule('garmin'); // garminProvider
 * garmin?.pull.map('dailies', [{ summaryId: 'x', calendarDate: '2026-11-30', steps: 8000 }]);
 */
export const garminProvider: ProviderModule = {
  manifest: garminManifest,
  identify: ({ http }) => identifyGarmin(http),
  revoke: ({ http }) => revokeGarmin(http),
  confirmGrant: confirmGarminGrant,
  pull: {
    fetch: fetchGarmin,
    fetchTarget: fetchGarminTarget,
    map: (resource, payload) => mapGarmin(resource, payload),
  },
  webhook: garminWebhook,
  backfill: garminBackfill,
};
