import { parseManifest } from '../manifest.ts';

/**
 * Polar AccessLink v3 as data. Facts from API-NOTES §5 (Polar's own AccessLink OpenAPI v3, plus the
 * third-party notes it cites). Where a fact is [UNV] the comment says which reading was chosen and why
 * it is the safe one.
 *
 * Polar is unusual in three ways the module's code covers (index.ts): the user must be registered
 * (`POST /v3/users`) before any data call, disconnecting is a deregistration (`DELETE /v3/users/{id}`,
 * which also revokes the token), and there is no refresh token at all.
 */
export const polarManifest = parseManifest({
  slug: 'polar',
  name: 'Polar',
  developer_portal: 'https://admin.polaraccesslink.com',
  hosts: {
    auth: 'https://flow.polar.com',
    token: 'https://polarremote.com',
    api: 'https://www.polaraccesslink.com',
  },
  oauth: {
    authorize: { host: 'auth', path: '/oauth2/authorization' },
    token: { host: 'token', path: '/v2/oauth2/token' },
    // Deregistration (`DELETE /v3/users/{user-id}` → 204) revokes the token too; it needs the Polar user
    // id, which the manifest cannot place in a path: the module's `revoke` does it.
    revoke: 'custom',
    pkce: false,
    // The token call authenticates the app with HTTP Basic (client_id:client_secret).
    client_auth: 'basic',
    default_scopes: ['accesslink.read_all'],
    scope_separator: ' ',
    // No refresh token is issued: the access token is long-lived ([UNV] ~10 years or ~1 year). A 401 means
    // the user must consent again, never "refresh and retry".
    refresh: 'none',
  },
  api: {
    host: 'api',
    // [3P] Per client, scaled by registered users N: 500 + 20·N per 15 min and 5000 + 100·N per day.
    // The budget here is the N = 0 floor, which is always within the real limit whatever N is.
    budgets: [
      { limit: 500, window_seconds: 900 },
      { limit: 5000, window_seconds: 86_400 },
    ],
    // [UNV] Header names from third-party notes, not the spec. `RateLimit-Reset` read as seconds from
    // now (the IETF RateLimit header meaning); a 429 without it waits a whole 15-minute window.
    rate_limit_headers: {
      retry_after: 'Retry-After',
      reset: 'RateLimit-Reset',
      reset_kind: 'seconds',
      limit: 'RateLimit-Limit',
      usage: 'RateLimit-Usage',
    },
    // No pagination anywhere: range endpoints take windows (`from`/`to`), lists return everything.
    pagination: 'none',
    default_retry_after_seconds: 900,
  },
  sync: {
    // `from`/`to` ranges may span at most 28 days (activities, biosensing): one window is one range.
    window_days: 28,
    // Daily activity reaches 365 days back (`from` older than that is a 400); other resources less.
    historical_days: 365,
    // Watches upload days late and Polar recomputes sleep and recharge after an upload: re-read 3 days.
    lookback_hours: 72,
    resources: [
      // `GET /v3/exercises` lists only uploads of the last 30 days.
      { name: 'exercises', historical_days: 30, families: ['workouts', 'samples', 'route'] },
      // Sleep and Nightly Recharge lists cover the last 28 days; pulled together (recharge samples are
      // clock times that only the night's start can place).
      { name: 'sleep', historical_days: 28, families: ['sleep', 'samples', 'scores'] },
      { name: 'activities', families: ['samples', 'daily'] },
      // [UNV] The spec gives continuous heart rate no depth; 28 days is the safe reading (as sleep).
      { name: 'continuous_heart_rate', historical_days: 28, families: ['samples'] },
      // Elixir biosensing (SpO2 tests, sleep skin temperature): last 28 days or 28-day ranges.
      { name: 'biosensing', historical_days: 28, families: ['samples'] },
      { name: 'physical_info', historical_days: 1, families: ['body'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    verification: {
      scheme: 'hmac_sha256',
      encoding: 'hex',
      // [UNV] The header name is not in the spec; third-party handlers (and Polar's docs page) use it.
      signature_header: 'Polar-Webhook-Signature',
      signed: 'body',
      // The `signature_secret_key` Polar returns once when the webhook is created (subscriptions adapter).
      key: 'webhook_secret',
    },
    // The creation PING arrives unsigned and must be answered 200 (webhook.ts).
    handshake: 'module',
    // One webhook per client, created by API with client Basic auth, covering every registered user.
    subscription: 'per_app_api',
  },
});
