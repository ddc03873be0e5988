import type { ProviderModule } from '../types.ts';
import { whoopManifest } from './manifest.ts';
import { mapWhoop } from './map.ts';
import { fetchWhoop, fetchWhoopTarget } from './pull.ts';
import { parseWhoop, WhoopProfile } from './schemas.ts';
import { whoopWebhook } from './webhook.ts';

/**
 * WHOOP (API v2): OAuth with a rotating refresh token (`offline` scope), pull of cycles (strain),
 * recoveries (recovery score, resting HR, HRV RMSSD, SpO2, skin temperature), sleeps (in-bed span,
 * respiratory rate, sleep performance with the stage totals), workouts and the body measurement, and
 * signed webhooks that name a sleep, workout or recovery to pull. Revocation (`DELETE
 * /developer/v2/user/access`) is described by the manifest; webhooks are configured in WHOOP's portal.
 */
export const whoopProvider: ProviderModule = {
  manifest: whoopManifest,
  /** The member's WHOOP user id (int64), from the basic profile. */
  async identify({ http }) {
    const profile = parseWhoop(
      WhoopProfile,
      await http.json({ path: '/developer/v2/user/profile/basic' }),
      'basic profile',
    );
    return { providerUserId: String(profile.user_id) };
  },
  pull: {
    fetch: fetchWhoop,
    fetchTarget: fetchWhoopTarget,
    map: (resource, payload) => mapWhoop(resource, payload),
  },
  webhook: whoopWebhook,
};
