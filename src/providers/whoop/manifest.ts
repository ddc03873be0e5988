import { parseManifest } from '../manifest.ts';

/**
 * WHOOP API v2 as data. Facts from API-NOTES §4 (WHOOP's OpenAPI v2, developer.whoop.com); where a fact
 * is unverified the comment says which reading was chosen and why it is the safe one.
 *
 * One origin serves both OAuth (`/oauth/oauth2/…`) and the API (`/developer/v2/…`): two named hosts
 * anyway, so a regional or mock override can move either (`PROVIDER_URLS=whoop.api=…`), and paths are
 * WHOOP's full paths, so a mock serves exactly the real routes.
 */
export const whoopManifest = parseManifest({
  slug: 'whoop',
  name: 'WHOOP',
  developer_portal: 'https://developer-dashboard.whoop.com',
  hosts: { auth: 'https://api.prod.whoop.com', api: 'https://api.prod.whoop.com' },
  oauth: {
    authorize: { host: 'auth', path: '/oauth/oauth2/auth' },
    token: { host: 'auth', path: '/oauth/oauth2/token' },
    // DELETE /developer/v2/user/access with the user's bearer token → 204; WHOOP stops the user's webhooks.
    revoke: {
      endpoint: { host: 'api', path: '/developer/v2/user/access' },
      method: 'DELETE',
      token_in: 'bearer',
    },
    pkce: false,
    // Client id and secret in the form body (client_secret_post), as WHOOP's token tutorials send them.
    client_auth: 'body',
    // `offline` is what makes WHOOP hand out a refresh token at all; without it a connection dies in 1 h.
    default_scopes: [
      'offline',
      'read:recovery',
      'read:cycles',
      'read:workout',
      'read:sleep',
      'read:profile',
      'read:body_measurement',
    ],
    scope_separator: ' ',
    // WHOOP's refresh grant carries `scope=offline` so the answer includes the next refresh token.
    extra_refresh_params: { scope: 'offline' },
    // Each refresh returns a new refresh token; the old one must not be used again.
    refresh: 'rotating',
  },
  api: {
    host: 'api',
    // Per app, shared by all its users: 100 requests a minute and 10,000 a day (increases on request).
    budgets: [
      { limit: 100, window_seconds: 60 },
      { limit: 10_000, window_seconds: 86_400 },
    ],
    // X-RateLimit-Reset counts seconds from now. WHOOP documents no Retry-After; it is read if sent.
    rate_limit_headers: {
      retry_after: 'Retry-After',
      reset: 'X-RateLimit-Reset',
      reset_kind: 'seconds',
      limit: 'X-RateLimit-Limit',
      remaining: 'X-RateLimit-Remaining',
    },
    // `nextToken` query parameter in, `next_token` field out (pull.ts follows it).
    pagination: 'next_token',
    default_retry_after_seconds: 60,
  },
  sync: {
    // A quarter of one collection is ~90 records, four pages of at most 25. Wide windows keep a two-year
    // history of a sparse member (most windows empty: one call per collection) well inside 100 calls a
    // minute; pages, not windows, are what a dense history costs.
    window_days: 90,
    // [UNV] WHOOP documents no depth limit (`start` may be omitted). Two years is the safe reading: a
    // full history of a long-time member could take thousands of the app's 10,000 daily requests.
    historical_days: 730,
    // Sleeps, recoveries and the open cycle are re-scored after the fact (PENDING_SCORE → SCORED).
    lookback_hours: 48,
    // Webhooks cover sleep, recovery and workouts but not cycles (the day's strain): pull hourly.
    interval_minutes: 60,
    resources: [
      { name: 'cycle', families: ['scores'] },
      { name: 'recovery', families: ['samples', 'scores'] },
      { name: 'sleep', families: ['sleep', 'samples', 'scores'] },
      { name: 'workout', families: ['workouts'] },
      { name: 'body', families: ['body'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    verification: {
      scheme: 'hmac_sha256',
      // base64(HMAC-SHA256(client_secret, X-WHOOP-Signature-Timestamp + raw body)).
      encoding: 'base64',
      signature_header: 'x-whoop-signature',
      timestamp_header: 'x-whoop-signature-timestamp',
      signed: 'timestamp_body',
      key: 'client_secret',
      // [3P] open-wearables refuses timestamps older than 300 s; WHOOP documents no window. The header
      // is epoch milliseconds.
      max_age_seconds: 300,
      timestamp_unit: 'ms',
    },
    // No handshake: the URL is entered in WHOOP's developer dashboard, which sends no challenge.
    handshake: 'none',
    subscription: 'portal',
  },
});
