import { parseManifest } from '../manifest.ts';

/**
 * Withings Public Health Data API as data. Facts from API-NOTES §7 (Withings' own developer-docs
 * OpenAPI, plus the third-party notes it cites). Where a fact is [UNV] the comment says which reading
 * was chosen and why it is the safe one.
 *
 * What the manifest cannot say is in the module (index.ts): the revoke needs a signed request with a
 * nonce (`revoke: 'custom'`), HTTP 200 answers carry their real outcome in `status` (auth statuses are
 * turned into `ProviderAuthError` by `withingsCall`), and notifications are subscribed per user and per
 * category (`appli`) with the user's token.
 */
export const withingsManifest = parseManifest({
  slug: 'withings',
  name: 'Withings',
  developer_portal: 'https://developer.withings.com/dashboard/',
  hosts: {
    auth: 'https://account.withings.com',
    api: 'https://wbsapi.withings.net',
  },
  oauth: {
    // The code it redirects with lives 30 s: the callback exchanges it at once (the platform does).
    authorize: { host: 'auth', path: '/oauth2_user/authorize2' },
    // `POST /v2/oauth2` with `action=requesttoken`; answers `{status, body:{userid, access_token, …}}`.
    token: { host: 'api', path: '/v2/oauth2' },
    // `action=revoke` needs `nonce` (from `getnonce`) and an HMAC-SHA256 `signature`: index.ts signs it.
    revoke: 'custom',
    pkce: false,
    client_auth: 'body',
    default_scopes: ['user.info', 'user.metrics', 'user.activity', 'user.sleepevents'],
    scope_separator: ',',
    // Every refresh returns a new refresh token; the old one dies 8 h later or when the new access token
    // is first used. The platform's single-flight refresh stores the new one before anyone uses it.
    refresh: 'rotating',
    token_response: 'withings',
  },
  api: {
    host: 'api',
    // [3P] 120 requests a minute per application.
    budgets: [{ limit: 120, window_seconds: 60 }],
    // [UNV] A third-party file claims 429 with X-RateLimit-* headers; the spec documents status 601 in a
    // 200 body with no reset. Both are handled: the headers when present, else a whole minute's wait.
    rate_limit_headers: {
      retry_after: 'Retry-After',
      reset: 'X-RateLimit-Reset',
      reset_kind: 'epoch_seconds',
      limit: 'X-RateLimit-Limit',
      remaining: 'X-RateLimit-Remaining',
    },
    body_status_rate_limited: [601],
    // A refused or expired token: refreshed once and retried by the vendor client, like an HTTP 401.
    body_status_auth: [100, 101, 102, 200, 401],
    // Lists answer `{more, offset}`: ask again with `offset` while `more` is set.
    pagination: 'offset_more',
    default_retry_after_seconds: 60,
  },
  sync: {
    // Daily lists take date ranges of any length (none is documented): a year is 5 windows, so a first
    // sync spends ~20 list calls plus one intraday call per day of its 30, within 120 a minute.
    // Intraday and sleep detail are cut per day (per night) in pull.ts.
    window_days: 90,
    // No depth is documented. One year keeps a first sync within a few hundred calls (120 a minute).
    historical_days: 365,
    // Withings has `lastupdate` (changed since): the incremental pull asks for what changed since the
    // cursor, less two days for a scale or watch that syncs late.
    lookback_hours: 48,
    resources: [
      { name: 'measures', families: ['body', 'samples'] },
      { name: 'activity', families: ['samples', 'daily'] },
      // One call per day (only the first 24 h after `startdate` are returned): a month of minute data.
      { name: 'intraday', historical_days: 30, families: ['samples'] },
      { name: 'workouts', families: ['workouts'] },
      { name: 'sleep', families: ['sleep', 'samples', 'scores'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    verification: {
      scheme: 'none',
      why:
        'Withings documents no signature for data notifications ([UNV]: none found). A notification only ' +
        'names a user, a category and a time span; WearLink then pulls that span with the user token, so a ' +
        'forged one can only cause a pull of real data from Withings. The route resolves the developer ' +
        "through the connection of the notification's userid.",
    },
    // Withings sends a HEAD to the callback before it registers it; webhook.ts answers 200.
    handshake: 'module',
    subscription: 'per_user_api',
  },
});
