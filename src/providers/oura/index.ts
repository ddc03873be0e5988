import type { ProviderModule } from '../types.ts';
import { ouraManifest } from './manifest.ts';
import { mapOura } from './map.ts';
import { fetchOura, fetchOuraTarget, identifyOura } from './pull.ts';
import { ouraSubscriptions } from './subscriptions.ts';
import { ouraWebhook } from './webhook.ts';

/**
 * Oura Ring (API v2): OAuth without PKCE, rotating single-use refresh tokens, revoke by
 * `POST /oauth/revoke?access_token=` (manifest), day documents and the heart-rate series pulled by
 * window, webhook pings (signed, per-app subscriptions that expire) answered by pulling the document.
 *
 * @example
 * import { findProviderModule } from '../registry.ts';
 * const oura = findProviderModule('oura'); // ouraProvider
 * oura?.pull.map('heartrate', { data: [{ timestamp: '2026-01-01T00:00:00+00:00', bpm: 61, source: 'awake' }] });
 */
export const ouraProvider: ProviderModule = {
  manifest: ouraManifest,
  identify: ({ http }) => identifyOura(http),
  pull: {
    fetch: fetchOura,
    fetchTarget: fetchOuraTarget,
    map: (resource, payload) => mapOura(resource, payload),
  },
  webhook: ouraWebhook,
  subscriptions: ouraSubscriptions,
};
