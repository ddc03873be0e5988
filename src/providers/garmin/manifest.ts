import { parseManifest } from '../manifest.ts';
import { GARMIN_SUMMARY_TYPES, type GarminSummaryType, garminBackfillTypes } from './summary-types.ts';

/**
 * Garmin Connect Developer Program (Health API + Activity API) as data. Facts from
 * ../shared/reference/providers/API-NOTES.md §1; where the notes mark a fact [UNV] the comment says which
 * reading was chosen and why it is the safe one.
 *
 * Garmin differs from every pull vendor: it sends data (push, or a ping with a callback URL to fetch)
 * and is never polled; history comes from backfill requests whose data arrives later as pushes/pings.
 */

type Family = 'workouts' | 'sleep' | 'samples' | 'body' | 'scores' | 'daily' | 'profile' | 'route';

/** Canonical families each resource yields (documentation and reference-corpus assertions). */
const FAMILIES: Record<string, Family[]> = {
  dailies: ['daily', 'samples', 'scores'],
  epochs: ['samples'],
  sleeps: ['sleep', 'samples', 'scores'],
  body_comps: ['body'],
  stress_details: ['samples', 'scores'],
  user_metrics: ['body', 'samples'],
  pulse_ox: ['samples'],
  respiration: ['samples'],
  health_snapshot: ['samples'],
  hrv: ['samples'],
  blood_pressures: ['body', 'samples'],
  skin_temp: ['samples'],
  activities: ['workouts'],
  manually_updated_activities: ['workouts'],
  activity_details: ['workouts', 'samples', 'route'],
  move_iq: ['workouts'],
};

const resource = (t: GarminSummaryType) => ({ name: t.resource, families: FAMILIES[t.resource] ?? [] });

export const garminManifest = parseManifest({
  slug: 'garmin',
  name: 'Garmin',
  developer_portal: 'https://developerportal.garmin.com',
  hosts: {
    auth: 'https://connect.garmin.com',
    token: 'https://diauth.garmin.com',
    api: 'https://apis.garmin.com',
  },
  oauth: {
    authorize: { host: 'auth', path: '/oauth2Confirm' },
    token: { host: 'token', path: '/di-oauth2-service/oauth/token' },
    // `DELETE /wellness-api/rest/user/registration` with the user's token (204): the module's `revoke`.
    revoke: 'custom',
    // OAuth 2.0 apps must use PKCE S256 (§1.1).
    pkce: true,
    // client_id and client_secret travel as form fields of the token request.
    client_auth: 'body',
    // No scope parameter: pillars are chosen in the portal and the user toggles permissions on the
    // consent screen; what was granted is read from /user/permissions (identify) and kept as scopes.
    default_scopes: [],
    scope_separator: ' ',
    send_scope: false,
    // Each refresh returns a new refresh token (~90 d); the old one must not be reused.
    // The access-token lifetime is [UNV] (86400 s vs "3 months"): the platform uses `expires_in`.
    refresh: 'rotating',
  },
  api: {
    host: 'api',
    // [UNV] Garmin documents no request limit beyond "evaluation keys are rate-limited" and the backfill
    // limits counted in days of data (evaluation 100 days/min, production 10,000 days/min per key).
    // open-wearables assumes 100 calls a minute for evaluation keys, but every pinged day's callback is a
    // call (a pinged 30-day backfill is 31 calls per type, and the e2e saw a disconnect's DELETE refused
    // by that local budget): WearLink keeps a generous app-wide floor and relies on Garmin's 429 (not
    // documented either), which the client handles like any other: the run waits. A backfill request of
    // a 30/90-day window spends many "days" of Garmin's own quota in one call.
    budgets: [{ limit: 1000, window_seconds: 60 }],
    // No documented 429 or Retry-After: wait a minute (open-wearables waits 60 s after a limit hit).
    rate_limit_headers: { retry_after: 'retry-after', reset_kind: 'seconds' },
    pagination: 'none',
    default_retry_after_seconds: 60,
  },
  sync: {
    // Garmin sends; nothing is scheduled. A historical sync is a backfill run (see `backfill`).
    strategy: 'push',
    // Unused by push (the window of a backfill request is per type, below); a day keeps it honest.
    window_days: 1,
    // How far a historical sync asks back. The per-user backfill limit ("1 month since the first user
    // connection") is [UNV]; 30 days is within every reading of it.
    historical_days: 30,
    lookback_hours: 0,
    resources: GARMIN_SUMMARY_TYPES.map(resource),
  },
  backfill: {
    // Garmin gives no delivery time for backfilled data; half an hour per run before a window times out.
    wait_minutes: 30,
    types: garminBackfillTypes(),
  },
  // `pull` is true because a ping's callbackURL is fetched (fetchTarget); Garmin forbids pulls on
  // WearLink's own initiative (§1.2), so nothing is ever pulled by window.
  capabilities: { pull: true, webhook_ping: true, webhook_push: true },
  webhook: {
    verification: {
      scheme: 'client_id_header',
      header: 'garmin-client-id',
      secret_query: 'key',
      why:
        'Garmin signs nothing (no HMAC exists); every push and ping names the app in garmin-client-id, ' +
        "which must be one of the configured apps' client ids, and ping URLs are followed only to Garmin's hosts",
    },
    // Garmin does not check the endpoint when it is configured.
    handshake: 'none',
    // Endpoints per summary type (push or ping) are set by the developer in Garmin's web tool.
    subscription: 'portal',
  },
});
