import { parseManifest } from '../manifest.ts';

/**
 * Fitbit through the Google Health API v4 as data. Facts from ../shared/reference/providers/API-NOTES.md
 * §3.4 and §0 (the legacy Fitbit Web API and its OAuth answer 410 since 2026-11-02) and Google's v4
 * reference (developers.google.com/health/reference/rest/v4). Where a fact was not verified, the
 * comment says so and the code reading it is tolerant.
 */

/** Google Health's OAuth scopes WearLink asks for: read-only, least privilege. All are "restricted". */
export const GOOGLE_HEALTH_SCOPES = [
  'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly',
  'https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly',
  'https://www.googleapis.com/auth/googlehealth.sleep.readonly',
] as const;

/**
 * How a data type's points are placed in time, which is also how the list `filter` names its time
 * field (AIP-160, snake_case): `sample` (`sampleTime.physicalTime`), `interval` (`interval.startTime`),
 * `session` (sleep/exercise `interval`), `daily` (`date`, a civil day).
 */
export type TimeShape = 'sample' | 'interval' | 'session' | 'daily';

/**
 * The v4 data types (kebab-case path segments) each WearLink resource reads, with their time shape.
 * The data point's JSON carries its value under the camelCase union key (`heart-rate` → `heartRate`).
 * `daily-oxygen-saturation`'s value field is [UNV] (see map-vitals.ts).
 */
export const FITBIT_RESOURCE_DATA_TYPES = {
  activity: [{ dataType: 'exercise', shape: 'session' }],
  steps: [{ dataType: 'steps', shape: 'interval' }],
  heart_rate: [
    { dataType: 'heart-rate', shape: 'sample' },
    { dataType: 'daily-resting-heart-rate', shape: 'daily' },
  ],
  hrv: [
    { dataType: 'heart-rate-variability', shape: 'sample' },
    { dataType: 'daily-heart-rate-variability', shape: 'daily' },
  ],
  spo2: [
    { dataType: 'oxygen-saturation', shape: 'sample' },
    { dataType: 'daily-oxygen-saturation', shape: 'daily' },
  ],
  sleep: [{ dataType: 'sleep', shape: 'session' }],
  body: [
    { dataType: 'weight', shape: 'sample' },
    { dataType: 'body-fat', shape: 'sample' },
  ],
} as const satisfies Record<string, readonly { dataType: string; shape: TimeShape }[]>;
export type FitbitResource = keyof typeof FITBIT_RESOURCE_DATA_TYPES;

/** The resource that reads a data type (a notification names the data type). */
export function resourceOfDataType(dataType: string): FitbitResource | undefined {
  for (const [resource, types] of Object.entries(FITBIT_RESOURCE_DATA_TYPES))
    if (types.some((t) => t.dataType === dataType)) return resource as FitbitResource;
  return undefined;
}

/**
 * Data types WearLink asks notifications for. Google's webhook page lists exercise, heart rate, HRV,
 * the daily types, sleep, steps, weight and body fat (an older version of the page listed only
 * altitude, distance, floors, sleep, steps and weight); `oxygen-saturation` (non-daily) is not listed.
 */
export const FITBIT_WEBHOOK_DATA_TYPES = [
  'exercise',
  'steps',
  'heart-rate',
  'daily-resting-heart-rate',
  'heart-rate-variability',
  'daily-heart-rate-variability',
  'daily-oxygen-saturation',
  'sleep',
  'weight',
  'body-fat',
] as const;

/** Google's page limits: sessions (exercise, sleep) at most 25 a page, other types 10,000. */
export const PAGE_SIZE = { session: 25, other: 1000 } as const;

export const GOOGLE_HEALTH_PATHS = {
  identity: '/v4/users/me/identity',
  dataPoints: (dataType: string) => `/v4/users/me/dataTypes/${encodeURIComponent(dataType)}/dataPoints`,
  subscribers: (project: string) => `/v4/projects/${encodeURIComponent(project)}/subscribers`,
} as const;

export const fitbitManifest = parseManifest({
  slug: 'fitbit',
  name: 'Fitbit (Google Health API)',
  developer_portal: 'https://console.cloud.google.com/apis/library/health.googleapis.com',
  hosts: {
    accounts: 'https://accounts.google.com',
    oauth: 'https://oauth2.googleapis.com',
    api: 'https://health.googleapis.com',
  },
  oauth: {
    authorize: { host: 'accounts', path: '/o/oauth2/v2/auth' },
    token: { host: 'oauth', path: '/token' },
    // Google revokes a grant by `POST /revoke` with the token as a form field (either token revokes both).
    revoke: { endpoint: { host: 'oauth', path: '/revoke' }, method: 'POST', token_in: 'form_token' },
    pkce: true,
    client_auth: 'body',
    default_scopes: [...GOOGLE_HEALTH_SCOPES],
    scope_separator: ' ',
    // Without offline access Google issues no refresh token; without prompt=consent a user who
    // connected before gets none again.
    extra_authorize_params: { access_type: 'offline', prompt: 'consent' },
    // Google refresh tokens are long-lived and not rotated: a refresh returns only a new access token.
    refresh: 'stable',
  },
  api: {
    host: 'api',
    // Platform budgets are app-wide: this is Google's per-project 120,000 a minute (86.4 M a day is
    // looser). Google's per-USER limit (300 a minute) cannot be expressed as an app budget: a user who
    // exceeds it gets 429 with Retry-After, and the run is rescheduled.
    budgets: [{ limit: 120_000, window_seconds: 60 }],
    rate_limit_headers: { retry_after: 'retry-after' },
    // AIP-158: `pageToken` in, `nextPageToken` out (the pull follows it; 'next_token' is the platform's
    // name for token paging).
    pagination: 'next_token',
    default_retry_after_seconds: 60,
  },
  sync: {
    // Dense types (heart rate every few seconds) page at 1,000: a week per window keeps a window's
    // archived payload bounded.
    window_days: 7,
    // Google documents no depth; 90 days is WearLink's choice (a year would cost ~500 calls a user).
    historical_days: 90,
    // Sleep and daily values are computed after the device syncs: re-read two days.
    lookback_hours: 48,
    resources: [
      { name: 'activity', families: ['workouts'] },
      { name: 'steps', families: ['samples'] },
      // Heart rate is the densest type: a historical sync reads 30 days of it.
      { name: 'heart_rate', historical_days: 30, families: ['samples'] },
      { name: 'hrv', families: ['samples'] },
      { name: 'spo2', families: ['samples'] },
      { name: 'sleep', families: ['sleep'] },
      { name: 'body', families: ['body'] },
    ],
  },
  capabilities: { pull: true, webhook_ping: true, webhook_push: false },
  webhook: {
    // Google echoes the subscriber's `endpointAuthorization.secret` in Authorization. (Deliveries are
    // also ECDSA-signed in X-HEALTHAPI-SIGNATURE; verifying that needs Google's public key: not done.)
    verification: { scheme: 'shared_secret_header', header: 'authorization', bearer_prefix: true },
    // Google's two verification POSTs `{"type":"verification"}` (with the secret → 201, without → 401).
    handshake: 'module',
    // One subscriber per app (per Google Cloud project), AUTOMATIC policy: no per-user subscriptions.
    subscription: 'per_app_api',
  },
});
