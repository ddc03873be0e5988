import { z } from 'zod';

/**
 * A vendor described as validated data (after Nango's providers.yaml): where its OAuth and API live,
 * how it authenticates, paginates, rate-limits, signs webhooks and how far back it reaches. Code in a
 * vendor's folder covers only what this cannot say (its payload shapes, its handshake quirks).
 * `parseManifest` checks a manifest when its module loads, so a typo fails at start, not mid-sync.
 */

/** A URL as a named host of the manifest plus a path, so one override moves every URL of a host. */
const Endpoint = z.strictObject({ host: z.string().min(1), path: z.string().startsWith('/') });
export type Endpoint = z.infer<typeof Endpoint>;

const RateLimitWindow = z.strictObject({
  limit: z.number().int().positive(),
  window_seconds: z.number().int().positive(),
});

export const ProviderManifest = z
  .strictObject({
    slug: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: z.string().min(1),
    /** Where a developer registers an app with this vendor (README, connect docs). */
    developer_portal: z.url().optional(),
    /** Named origins, e.g. `{ auth: 'https://cloud.ouraring.com', api: 'https://api.ouraring.com' }`. */
    hosts: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.url()),
    oauth: z
      .strictObject({
        authorize: Endpoint,
        token: Endpoint,
        /** How the vendor revokes a grant; `custom`: the module's `revoke` does it. Absent: nothing to call. */
        revoke: z
          .union([
            z.strictObject({
              endpoint: Endpoint,
              method: z.enum(['POST', 'DELETE']),
              /** Where the token goes: `?access_token=`, form field `token`, or the Authorization header. */
              token_in: z.enum(['query_access_token', 'form_token', 'form_access_token', 'bearer']),
            }),
            z.literal('custom'),
          ])
          .optional(),
        pkce: z.boolean(),
        /** How the client authenticates at the token endpoint. */
        client_auth: z.enum(['body', 'basic']),
        default_scopes: z.array(z.string().min(1)),
        scope_separator: z.enum([' ', ',']),
        /** Vendors without a scope parameter (permissions chosen in their portal). */
        send_scope: z.boolean().default(true),
        extra_authorize_params: z.record(z.string(), z.string()).default({}),
        /** Extra form fields of a refresh (WHOOP: `scope=offline`). */
        extra_refresh_params: z.record(z.string(), z.string()).default({}),
        /** `rotating`: each refresh returns a new refresh token and kills the old one; `none`: no refresh. */
        refresh: z.enum(['rotating', 'stable', 'none']),
        /** `standard` RFC 6749 JSON; `withings`: `{status, body:{…}}` with an `action=requesttoken` form field. */
        token_response: z.enum(['standard', 'withings']).default('standard'),
      })
      .optional(),
    api: z.strictObject({
      host: z.string().min(1),
      /** App-wide request budgets shared by all workers (the tightest one that applies is enforced). */
      budgets: z.array(RateLimitWindow),
      /** Headers the vendor sends about its limits, and how to read the reset. */
      rate_limit_headers: z
        .strictObject({
          retry_after: z.string().optional(),
          reset: z.string().optional(),
          /** `epoch_seconds`, `seconds` from now, or Strava's fixed 15-minute windows. */
          reset_kind: z.enum(['epoch_seconds', 'seconds', 'quarter_hour']).optional(),
          limit: z.string().optional(),
          remaining: z.string().optional(),
          usage: z.string().optional(),
        })
        .default({}),
      /** Withings answers HTTP 200 with `{status: 601}` when rate-limited. */
      body_status_rate_limited: z.array(z.number().int()).default([]),
      /** Withings answers HTTP 200 with `{status: 401}` (or 100–102, 200) for a refused token: treated as a 401. */
      body_status_auth: z.array(z.number().int()).default([]),
      pagination: z.enum(['next_token', 'page', 'offset_more', 'none']),
      /** When a 429 names no reset, wait this long. */
      default_retry_after_seconds: z.number().int().positive().default(60),
    }),
    sync: z.strictObject({
      /**
       * `pull`: WearLink fetches (scheduled incremental pulls, historical windows). `push`: the vendor
       * sends everything (Garmin); nothing is scheduled, and a historical sync asks for a vendor backfill.
       */
      strategy: z.enum(['pull', 'push']).default('pull'),
      /** A pull is cut into windows of this many days (one run item each). */
      window_days: z.number().positive(),
      /** How far back a historical sync reaches. */
      historical_days: z.number().int().positive(),
      /** An incremental pull starts this far before the resource's cursor: vendors revise recent days. */
      lookback_hours: z.number().min(0),
      /** How often a connection is pulled when webhooks cover the rest (minutes; default: the instance's). */
      interval_minutes: z.number().int().positive().optional(),
      resources: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z][a-z0-9_]*$/),
            /** Shallower than the vendor's depth (Polar exercises: 30 days). */
            historical_days: z.number().int().positive().optional(),
            /** Canonical families it yields: documentation and the reference-corpus assertions. */
            families: z.array(
              z.enum(['workouts', 'sleep', 'samples', 'body', 'scores', 'daily', 'profile', 'route']),
            ),
          }),
        )
        .min(1),
    }),
    /**
     * A vendor-side backfill (Garmin): per type, the longest window one request may ask for, which
     * webhook list keys deliver it, and the family it is shown under. A historical run requests every
     * type's missing windows, then waits up to `wait_minutes` for the pushed data.
     */
    backfill: z
      .strictObject({
        wait_minutes: z.number().positive(),
        types: z
          .array(
            z.strictObject({
              name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
              max_window_days: z.number().int().positive(),
              /** Webhook list keys whose arrival counts as this type's data (Garmin: `pulseox` for `pulseOx`). */
              delivered_as: z.array(z.string().min(1)).min(1),
              family: z.enum(['daily', 'sleep', 'body', 'workouts']),
            }),
          )
          .min(1),
      })
      .optional(),
    capabilities: z.strictObject({
      pull: z.boolean(),
      /** The vendor notifies that something changed; WearLink pulls it. */
      webhook_ping: z.boolean(),
      /** The vendor sends the data itself. */
      webhook_push: z.boolean(),
    }),
    webhook: z
      .strictObject({
        verification: z.discriminatedUnion('scheme', [
          z.strictObject({ scheme: z.literal('none'), why: z.string() }),
          /**
           * Unsigned, but each request names the app it is for (Garmin's `garmin-client-id`): it must be
           * one of the configured apps' client ids, and that app's developer is the one it is for.
           */
          z.strictObject({
            scheme: z.literal('client_id_header'),
            header: z.string().min(1),
            /**
             * A query parameter that must carry the app's webhook secret when the app has one: the
             * vendor signs nothing and client ids are public (they travel in authorize URLs), so the
             * secret in the registered URL is what keeps forged deliveries out.
             */
            secret_query: z.string().min(1).optional(),
            why: z.string(),
          }),
          /**
           * The vendor echoes a shared secret in a header (Google Health's `Authorization`): compared in
           * constant time with each app's webhook secret; the app that matches is the one it is for.
           */
          z.strictObject({
            scheme: z.literal('shared_secret_header'),
            header: z.string().min(1),
            /** Accept `Bearer <secret>` as well as the bare secret. */
            bearer_prefix: z.boolean().default(false),
          }),
          z.strictObject({
            scheme: z.literal('hmac_sha256'),
            encoding: z.enum(['hex', 'hex_upper', 'base64']),
            signature_header: z.string().min(1),
            timestamp_header: z.string().optional(),
            /** What is signed: the raw body, or the timestamp header's value followed by the raw body. */
            signed: z.enum(['body', 'timestamp_body']),
            /** The app's client secret (Oura, WHOOP) or its separate webhook secret (Polar). */
            key: z.enum(['client_secret', 'webhook_secret']),
            /** Older timestamps are refused (replay); `timestamp_unit` says how the header counts. */
            max_age_seconds: z.number().int().positive().optional(),
            timestamp_unit: z.enum(['s', 'ms']).default('s'),
          }),
        ]),
        /** The vendor's check of the callback URL; `module`: the module's `handshake` answers it. */
        handshake: z.enum(['none', 'module']),
        /** Who creates the vendor subscription: per app or per user by API, or the developer in a portal. */
        subscription: z.enum(['per_app_api', 'per_user_api', 'portal']),
        /** Subscriptions that expire are renewed this many days before they do. */
        renew_before_days: z.number().int().positive().optional(),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const hosts = new Set(Object.keys(m.hosts));
    const endpoints: [string, Endpoint | undefined][] = [
      ['oauth.authorize', m.oauth?.authorize],
      ['oauth.token', m.oauth?.token],
      ['oauth.revoke', typeof m.oauth?.revoke === 'object' ? m.oauth.revoke.endpoint : undefined],
    ];
    for (const [where, endpoint] of endpoints)
      if (endpoint !== undefined && !hosts.has(endpoint.host))
        ctx.addIssue({ code: 'custom', path: [where], message: `unknown host "${endpoint.host}"` });
    if (!hosts.has(m.api.host))
      ctx.addIssue({ code: 'custom', path: ['api.host'], message: `unknown host "${m.api.host}"` });
    if (m.sync.strategy === 'push' && m.backfill === undefined)
      ctx.addIssue({ code: 'custom', path: ['backfill'], message: 'a push vendor needs a backfill section' });
    if ((m.capabilities.webhook_ping || m.capabilities.webhook_push) && m.webhook === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'webhook capabilities need a webhook section',
      });
  });
export type ProviderManifest = z.output<typeof ProviderManifest>;
export type ProviderManifestInput = z.input<typeof ProviderManifest>;

/** Validates a manifest; throws with every problem listed (at module load: a bad manifest never starts). */
export function parseManifest(input: ProviderManifestInput): ProviderManifest {
  const result = ProviderManifest.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid provider manifest "${String((input as { slug?: unknown }).slug)}": ${problems}`);
}

/**
 * The origin of a manifest host after PROVIDER_URLS overrides (`vendor.host=` beats `vendor=`).
 *
 * @example resolveHost(oura, 'api', { oura: 'http://127.0.0.1:9001' }) // 'http://127.0.0.1:9001'
 */
export function resolveHost(
  manifest: ProviderManifest,
  host: string,
  overrides: Record<string, string>,
): string {
  const base = overrides[`${manifest.slug}.${host}`] ?? overrides[manifest.slug] ?? manifest.hosts[host];
  if (base === undefined) throw new Error(`${manifest.slug} has no host "${host}"`);
  return base.replace(/\/+$/, '');
}

/** An endpoint's absolute URL after overrides. */
export function resolveEndpoint(
  manifest: ProviderManifest,
  endpoint: Endpoint,
  overrides: Record<string, string>,
): string {
  return `${resolveHost(manifest, endpoint.host, overrides)}${endpoint.path}`;
}

/**
 * Whether an absolute URL a vendor handed out (a ping's callback, a `next` link) points at one of the
 * vendor's own hosts after overrides: anything else is refused, never fetched.
 *
 * @example isVendorUrl(garmin, 'https://evil.example/x', {}) // false
 */
export function isVendorUrl(
  manifest: ProviderManifest,
  url: string,
  overrides: Record<string, string>,
): boolean {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  return Object.keys(manifest.hosts).some(
    (h) => new URL(resolveHost(manifest, h, overrides)).origin === origin,
  );
}
