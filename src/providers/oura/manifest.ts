import { parseManifest } from '../manifest.ts';

/**
 * Oura API v2 as data. Facts from ../shared/reference/providers/API-NOTES.md §2 (Oura); where the notes
 * mark a fact [UNV], the comment says which reading was chosen and why it is the safe one.
 */

/**
 * Sync resources and the Oura route each one reads. Resource names are WearLink's (lower case);
 * `vO2_max` keeps Oura's capital O in its path only.
 */
export const OURA_COLLECTION_PATHS = {
  daily_activity: '/v2/usercollection/daily_activity',
  daily_readiness: '/v2/usercollection/daily_readiness',
  daily_sleep: '/v2/usercollection/daily_sleep',
  sleep: '/v2/usercollection/sleep',
  daily_spo2: '/v2/usercollection/daily_spo2',
  daily_resilience: '/v2/usercollection/daily_resilience',
  daily_cardiovascular_age: '/v2/usercollection/daily_cardiovascular_age',
  vo2_max: '/v2/usercollection/vO2_max',
  workout: '/v2/usercollection/workout',
  session: '/v2/usercollection/session',
} as const;
export type OuraCollection = keyof typeof OURA_COLLECTION_PATHS;

/** Time-series routes: `start_datetime`/`end_datetime`, at most 30 days per call. */
export const OURA_TIME_SERIES_PATHS = { heartrate: '/v2/usercollection/heartrate' } as const;
export const OURA_PERSONAL_INFO_PATH = '/v2/usercollection/personal_info';

/** Oura refuses time-series ranges longer than this ([3P] open-wearables chunks heart rate by 30 days). */
export const OURA_TIME_SERIES_MAX_DAYS = 30;

/** Webhook `data_type`s WearLink subscribes to (ExtApiV2DataType), each the name of the resource it pulls. */
export const OURA_WEBHOOK_DATA_TYPES = [
  'daily_activity',
  'daily_readiness',
  'daily_sleep',
  'sleep',
  'daily_spo2',
  'daily_resilience',
  'daily_cardiovascular_age',
  'vo2_max',
  'workout',
  'session',
] as const satisfies readonly OuraCollection[];

/**
 * `delete` is not subscribed: WearLink's canonical store keeps what it pulled (no deletion path), so a
 * delete notification could only be ignored.
 */
export const OURA_WEBHOOK_EVENT_TYPES = ['create', 'update'] as const;

export const ouraManifest = parseManifest({
  slug: 'oura',
  name: 'Oura',
  developer_portal: 'https://cloud.ouraring.com/oauth/applications',
  hosts: { auth: 'https://cloud.ouraring.com', api: 'https://api.ouraring.com' },
  oauth: {
    authorize: { host: 'auth', path: '/oauth/authorize' },
    token: { host: 'api', path: '/oauth/token' },
    // `POST /oauth/revoke?access_token=…` ([3P] open-wearables uses POST; the docs name only the URL).
    revoke: {
      endpoint: { host: 'api', path: '/oauth/revoke' },
      method: 'POST',
      token_in: 'query_access_token',
    },
    pkce: false,
    // The token request carries client_id and client_secret as form fields (Oura's code examples).
    client_auth: 'body',
    // Least privilege: what WearLink syncs. `email` and `tag` are not read. The user may untick any.
    default_scopes: ['personal', 'daily', 'heartrate', 'workout', 'session', 'spo2Daily'],
    scope_separator: ' ',
    // Access-token lifetime is [UNV] (24 h vs 30 days): the platform uses the response's `expires_in`.
    // Refresh tokens are single-use: each refresh returns a new one and kills the old ([3P]).
    refresh: 'rotating',
  },
  api: {
    host: 'api',
    // The current docs give no number; their FAQ still says 5000 requests per 5 minutes (per app).
    budgets: [{ limit: 5000, window_seconds: 300 }],
    // A 429 carries Retry-After (s), X-RateLimit-Limit, -Window (s), -Reset (epoch s), -Tier.
    rate_limit_headers: {
      retry_after: 'retry-after',
      reset: 'x-ratelimit-reset',
      reset_kind: 'epoch_seconds',
      limit: 'x-ratelimit-limit',
    },
    pagination: 'next_token',
    default_retry_after_seconds: 60,
  },
  sync: {
    // Time series accept at most 30 days per call; day collections take the same windows.
    window_days: OURA_TIME_SERIES_MAX_DAYS,
    // No documented cap ("one historical pull at connect time"): a year is WearLink's choice.
    historical_days: 365,
    // Sleep and readiness appear only after the user syncs the app, and the day's documents are
    // revised until it ends: re-read two days.
    lookback_hours: 48,
    resources: [
      // The profile is today's weight and height, not a history: read in the latest window only.
      { name: 'personal_info', historical_days: 1, families: ['body', 'profile'] },
      { name: 'daily_activity', families: ['scores', 'samples', 'daily'] },
      { name: 'daily_readiness', families: ['scores', 'samples'] },
      { name: 'daily_sleep', families: ['scores'] },
      { name: 'sleep', families: ['sleep', 'samples'] },
      { name: 'daily_spo2', families: ['samples'] },
      { name: 'daily_resilience', families: ['scores'] },
      { name: 'daily_cardiovascular_age', families: ['samples'] },
      { name: 'vo2_max', families: ['samples'] },
      { name: 'workout', families: ['workouts', 'samples'] },
      { name: 'session', families: ['samples'] },
      // Heart rate has no webhook data type and is dense (5-min cadence, denser in workouts): a
      // historical sync reads 90 days of it rather than a year (WearLink's choice, not Oura's limit).
      { name: 'heartrate', historical_days: 90, families: ['samples'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    verification: {
      scheme: 'hmac_sha256',
      // x-oura-signature = upper-case hex HMAC-SHA256(client_secret, x-oura-timestamp + raw body).
      encoding: 'hex_upper',
      signature_header: 'x-oura-signature',
      timestamp_header: 'x-oura-timestamp',
      signed: 'timestamp_body',
      key: 'client_secret',
      // No max age: the timestamp's unit is undocumented and Oura retries a delivery for about an hour
      // without saying whether it re-signs; a window could refuse every genuine retry. Replays of one
      // delivery are caught by the inbound dedupe key instead.
    },
    // GET ?verification_token=…&challenge=… must be echoed as {"challenge": …}.
    handshake: 'module',
    // Made by API with the app's x-client-id/x-client-secret, one per (event_type × data_type).
    subscription: 'per_app_api',
    // Expiry length is [UNV] (90 days per open-wearables): renewal keys off Oura's own
    // `expiration_time`, a week ahead so a keeper that runs daily never lets one lapse.
    renew_before_days: 7,
  },
});
