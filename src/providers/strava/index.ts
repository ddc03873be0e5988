import type { ProviderModule } from '../types.ts';
import { stravaManifest } from './manifest.ts';
import { mapStrava } from './map.ts';
import { fetchStrava, fetchStravaTarget, identifyStrava } from './pull.ts';
import { stravaSubscriptions } from './subscriptions.ts';
import { stravaWebhook } from './webhook.ts';

/**
 * Strava (API v3): activities with their heart-rate and route streams, the profile's weight, push
 * events for new, changed and deauthorized. Revocation is the manifest's `POST /oauth/deauthorize`.
 *
 * @example
 * findProviderModule('strava') === stravaProvider
 */
export const stravaProvider: ProviderModule = {
  manifest: stravaManifest,
  identify: identifyStrava,
  confirmGrant: async (http) => void (await http.request({ path: '/athlete', responseType: 'text' })),
  pull: {
    fetch: fetchStrava,
    fetchTarget: fetchStravaTarget,
    map: (resource, payload) => mapStrava(resource, payload),
  },
  webhook: stravaWebhook,
  subscriptions: stravaSubscriptions,
};
