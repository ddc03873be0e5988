import { parseManifest } from '../manifest.ts';

/**
 * Strava API v3 as data (facts: API-NOTES §6, Strava's Swagger `strava-swagger-v3.json`).
 *
 * Strava only has activities: no sleep, daily, HRV or body series. Weight sits on the athlete profile.
 * Where a fact is tagged [UNV] the safe reading is taken, and the comment says so.
 */
export const stravaManifest = parseManifest({
  slug: 'strava',
  name: 'Strava',
  developer_portal: 'https://www.strava.com/settings/api',
  // One override `strava=<url>` moves both (the API base is a path on the same origin).
  hosts: { auth: 'https://www.strava.com', api: 'https://www.strava.com/api/v3' },
  oauth: {
    authorize: { host: 'auth', path: '/oauth/authorize' },
    token: { host: 'auth', path: '/oauth/token' },
    // Invalidates every token of the athlete–app pair and sends the athlete deauthorization event.
    // (OW's `/oauth/revoke` is [UNV]; the documented endpoint is used.)
    revoke: {
      endpoint: { host: 'auth', path: '/oauth/deauthorize' },
      method: 'POST',
      token_in: 'form_access_token',
    },
    pkce: false,
    client_auth: 'body',
    // `activity:read_all` includes "Only Me" activities (a user's own health data is all of it);
    // `profile:read_all` is what exposes the athlete's weight. Strava lets the user untick each one,
    // so `identify` checks what was granted.
    default_scopes: ['read', 'activity:read_all', 'profile:read_all'],
    scope_separator: ',',
    // Strava's consent screen asks again unless told otherwise; `auto` skips it for a returning user.
    extra_authorize_params: { approval_prompt: 'auto' },
    // "A refresh may return a different refresh token; always keep the latest" [3P]: the old one is
    // treated as dead (rotating), the safe reading.
    refresh: 'rotating',
  },
  api: {
    host: 'api',
    // Read ("non-upload") limits, the binding ones for everything WearLink calls: 100 / 15 min and
    // 1,000 / day per application. Upgraded apps get more [UNV]: the default app's numbers are used.
    budgets: [
      { limit: 100, window_seconds: 900 },
      { limit: 1000, window_seconds: 86_400 },
    ],
    // No Retry-After: the windows reset at :00/:15/:30/:45 and the daily one at midnight UTC. The read
    // pair of headers (`X-ReadRateLimit-*`) is named because every call WearLink makes is a read.
    rate_limit_headers: {
      limit: 'X-ReadRateLimit-Limit',
      usage: 'X-ReadRateLimit-Usage',
      reset_kind: 'quarter_hour',
    },
    pagination: 'page',
    default_retry_after_seconds: 900,
  },
  sync: {
    // A window costs one list call plus a detail and a streams call per activity, and a rate-limited
    // window starts again: 7 days keeps even 7 activities a day under one 15-minute budget (100 reads).
    window_days: 7,
    // Strava keeps everything an athlete ever uploaded, but every app shares 1,000 reads a day across
    // all its users: a year costs 53 list calls plus two per activity (a few hundred for a keen
    // athlete), ten years would cost over 500 list calls per connection before any activity. One
    // year is the default depth; older activities still arrive when Strava sends an event for them.
    historical_days: 365,
    // `after` filters on start time, so a device that uploads days late is missed by a pull from the
    // cursor unless the lookback covers it; the `create` webhook covers the rest.
    lookback_hours: 72,
    // Webhooks announce new and changed activities; the periodic pull is only a safety net.
    interval_minutes: 360,
    resources: [
      { name: 'activities', families: ['workouts', 'samples', 'route'] },
      // Current profile only (Strava keeps no weight history): fetched once per run.
      { name: 'athlete', families: ['profile', 'body'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    verification: {
      scheme: 'none',
      why:
        'Strava does not sign webhook events. It proves the callback only once, when the subscription is ' +
        'created (GET with hub.verify_token, answered with hub.challenge). An event is only a hint: ' +
        'WearLink re-fetches the named activity with the athlete’s own token, so a forged activity event ' +
        'can at most cause a pull of real data; a forged deauthorization can disconnect a user (Strava ' +
        'offers nothing to check it against but the subscription_id it carries).',
    },
    handshake: 'module',
    // One push subscription per application, created by API.
    subscription: 'per_app_api',
  },
});
