import { emptyBatch } from '../../../src/health-data/canonical.ts';
import { type ProviderManifestInput, parseManifest } from '../../../src/providers/manifest.ts';
import type {
  InboundRequest,
  ProviderModule,
  PullTarget,
  WebhookNotification,
} from '../../../src/providers/types.ts';

/**
 * Vendor modules built in the test, independent of the real vendor folders: they exercise the webhook
 * platform (routes, verification, storage, jobs, subscriptions) with each vendor style:
 * - `signed` (slug `whoop`): base64 HMAC of the ms timestamp + body with the client secret, 300 s window,
 *   no handshake, set up in a portal;
 * - `subscribing` (slug `oura`): upper-case hex HMAC of the s timestamp + body, a GET challenge
 *   handshake with a verify token, per-app subscriptions by API that expire;
 * - `unsigned` (slug `strava`): no signature, `hub.challenge` handshake, a HEAD probe, athlete
 *   deauthorization events.
 * Their data side fetches one object from the mock and maps it to nothing.
 */

const decode = (request: InboundRequest) => new TextDecoder().decode(request.body);

function parseJson(request: InboundRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decode(request));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function base(slug: string, name: string, webhook: ProviderManifestInput['webhook']): ProviderManifestInput {
  return {
    slug,
    name,
    hosts: { api: 'https://vendor.invalid' },
    oauth: {
      authorize: { host: 'api', path: '/oauth/authorize' },
      token: { host: 'api', path: '/oauth/token' },
      pkce: false,
      client_auth: 'body',
      default_scopes: ['read'],
      scope_separator: ' ',
      refresh: 'stable',
    },
    api: { host: 'api', budgets: [{ limit: 1000, window_seconds: 60 }], pagination: 'none' },
    sync: {
      window_days: 30,
      historical_days: 30,
      lookback_hours: 0,
      resources: [
        { name: 'sleep', families: ['sleep'] },
        { name: 'activity', families: ['workouts'] },
      ],
    },
    capabilities: { pull: true, webhook_ping: true, webhook_push: false },
    webhook,
  };
}

const pull: ProviderModule['pull'] = {
  async fetch() {
    return [];
  },
  async fetchTarget(context, target: PullTarget) {
    const payload = await context.http.json({ path: `/objects/${target.resource}/${target.objectId}` });
    return [{ resource: target.resource, payload }];
  },
  map() {
    return emptyBatch();
  },
};

export const signedVendor: ProviderModule = {
  manifest: parseManifest(
    base('whoop', 'WHOOP (test)', {
      verification: {
        scheme: 'hmac_sha256',
        encoding: 'base64',
        signature_header: 'X-WHOOP-Signature',
        timestamp_header: 'X-WHOOP-Signature-Timestamp',
        signed: 'timestamp_body',
        key: 'client_secret',
        max_age_seconds: 300,
        timestamp_unit: 'ms',
      },
      handshake: 'none',
      subscription: 'portal',
    }),
  ),
  pull,
  webhook: {
    parse(request) {
      const body = parseJson(request);
      if (body === undefined) return { ok: false, error: 'body is not a JSON object' };
      const { user_id: user, id, type } = body;
      if ((typeof user !== 'number' && typeof user !== 'string') || typeof type !== 'string')
        return { ok: false, error: 'user_id and type are required' };
      const providerUserId = String(user);
      const notifications: WebhookNotification[] = [];
      if (type === 'user.deauthorized') notifications.push({ kind: 'deauthorize', providerUserId });
      else if (/^(sleep|activity)\.updated$/.test(type) && typeof id === 'string')
        notifications.push({
          kind: 'pull',
          providerUserId,
          target: { resource: type.split('.')[0] as string, objectId: id },
        });
      else notifications.push({ kind: 'ignore', reason: `event ${type} is not used` });
      return { ok: true, notifications };
    },
    // The vendor's trace id names a delivery; its retries carry the same one.
    dedupeKey(request) {
      const trace = parseJson(request)?.trace_id;
      return typeof trace === 'string' ? `trace:${trace}` : `body:${decode(request)}`;
    },
  },
};

export const subscribingVendor: ProviderModule = {
  manifest: parseManifest(
    base('oura', 'Oura (test)', {
      verification: {
        scheme: 'hmac_sha256',
        encoding: 'hex_upper',
        signature_header: 'x-oura-signature',
        timestamp_header: 'x-oura-timestamp',
        signed: 'timestamp_body',
        key: 'client_secret',
        max_age_seconds: 600,
      },
      handshake: 'module',
      subscription: 'per_app_api',
      renew_before_days: 7,
    }),
  ),
  pull,
  webhook: {
    handshake(request, verifyTokens) {
      const { verification_token: token, challenge } = request.query;
      if (request.method !== 'GET' || challenge === undefined) return undefined;
      if (token === undefined || !verifyTokens.includes(token))
        return { status: 403, body: { detail: 'Unknown verification_token' } };
      return { status: 200, body: { challenge } };
    },
    parse(request) {
      const body = parseJson(request);
      if (body === undefined || typeof body.user_id !== 'string' || typeof body.object_id !== 'string')
        return { ok: false, error: 'user_id and object_id are required' };
      return {
        ok: true,
        notifications: [
          {
            kind: 'pull',
            providerUserId: body.user_id,
            target: { resource: String(body.data_type), objectId: body.object_id },
          },
        ],
      };
    },
  },
  subscriptions: {
    async ensure({ http, app, callbackUrl, existing }) {
      const renewBefore = 7 * 86_400_000;
      if (existing?.vendorSubscriptionId && existing.expiresAt !== null) {
        if (existing.expiresAt.getTime() - Date.now() > renewBefore) return undefined;
        const renewed = await http.json<{ id: string; expiration_time: string }>({
          method: 'PUT',
          path: `/v2/webhook/subscription/renew/${existing.vendorSubscriptionId}`,
          auth: 'client_headers',
        });
        return { vendorSubscriptionId: renewed.id, expiresAt: new Date(renewed.expiration_time) };
      }
      const created = await http.json<{ id: string; expiration_time: string }>({
        method: 'POST',
        path: '/v2/webhook/subscription',
        auth: 'client_headers',
        json: {
          callback_url: callbackUrl,
          verification_token: app.webhookSecret,
          event_type: 'create',
          data_type: 'sleep',
        },
      });
      return {
        vendorSubscriptionId: created.id,
        expiresAt: new Date(created.expiration_time),
        details: { event_type: 'create', data_type: 'sleep' },
      };
    },
  },
};

export const unsignedVendor: ProviderModule = {
  manifest: parseManifest(
    base('strava', 'Strava (test)', {
      verification: { scheme: 'none', why: 'Strava does not sign its events' },
      handshake: 'module',
      subscription: 'portal',
    }),
  ),
  pull,
  webhook: {
    handshake(request, verifyTokens) {
      if (request.method === 'HEAD') return { status: 200 };
      const challenge = request.query['hub.challenge'];
      if (request.method !== 'GET' || challenge === undefined) return undefined;
      if (!verifyTokens.includes(request.query['hub.verify_token'] ?? ''))
        return { status: 403, body: { detail: 'Unknown hub.verify_token' } };
      return { status: 200, body: { 'hub.challenge': challenge } };
    },
    parse(request) {
      const body = parseJson(request);
      if (body === undefined || body.owner_id === undefined)
        return { ok: false, error: 'owner_id is required' };
      const providerUserId = String(body.owner_id);
      const updates = (body.updates ?? {}) as Record<string, unknown>;
      if (body.object_type === 'athlete' && updates.authorized === 'false')
        return { ok: true, notifications: [{ kind: 'deauthorize', providerUserId }] };
      return {
        ok: true,
        notifications: [
          {
            kind: 'pull',
            providerUserId,
            target: { resource: 'activity', objectId: String(body.object_id) },
          },
        ],
      };
    },
  },
};

/** What the `handingOut` adapter was shown on its calls (the keeper passes a stored secret back opened). */
export const handingOutSeen: { existingDetails: Record<string, unknown> | undefined }[] = [];

/**
 * Polar's style (slug `polar`): the vendor hands out the signing secret when the per-app webhook is
 * created (hex HMAC of the body); WearLink must keep it (sealed) and verify with it.
 */
export const handingOutVendor: ProviderModule = {
  manifest: parseManifest(
    base('polar', 'Polar (test)', {
      verification: {
        scheme: 'hmac_sha256',
        encoding: 'hex',
        signature_header: 'Polar-Webhook-Signature',
        signed: 'body',
        key: 'webhook_secret',
      },
      handshake: 'none',
      subscription: 'per_app_api',
    }),
  ),
  pull,
  webhook: { parse: signedVendor.webhook?.parse as NonNullable<ProviderModule['webhook']>['parse'] },
  subscriptions: {
    async ensure({ existing }) {
      handingOutSeen.push({ existingDetails: existing?.details });
      if (typeof existing?.details.webhook_secret === 'string') return undefined;
      return {
        vendorSubscriptionId: 'wh-1',
        expiresAt: null,
        details: { events: ['SLEEP'], webhook_secret: 'handed-out-secret' },
      };
    },
  },
};

/**
 * Withings' style (slug `withings`): no signature, a HEAD probe, subscriptions per user made with the
 * user's token (`/notify`, HTTP 200 with a status in the body).
 */
export const perUserVendor: ProviderModule = {
  manifest: parseManifest(
    base('withings', 'Withings (test)', {
      verification: { scheme: 'none', why: 'Withings documents no signature' },
      handshake: 'module',
      subscription: 'per_user_api',
    }),
  ),
  pull,
  webhook: {
    handshake: (request) => (request.method === 'HEAD' ? { status: 200 } : undefined),
    parse: (request) => {
      const form = new URLSearchParams(decode(request));
      const user = form.get('userid');
      if (user === null) return { ok: false, error: 'userid is required' };
      return {
        ok: true,
        notifications: [{ kind: 'pull', providerUserId: user, target: { resource: 'sleep' } }],
      };
    },
  },
  subscriptions: {
    async ensure({ http, callbackUrl, existing }) {
      if (existing !== undefined) return undefined;
      const answer = await http.json<{ status: number; error?: string }>({
        method: 'POST',
        path: '/notify',
        form: { action: 'subscribe', callbackurl: callbackUrl, appli: 44 },
      });
      if (answer.status !== 0) throw new Error(`Withings refused the subscription: status ${answer.status}`);
      return { vendorSubscriptionId: null, expiresAt: null, details: { applis: [44] } };
    },
    async remove({ http, callbackUrl }) {
      await http.json({
        method: 'POST',
        path: '/notify',
        form: { action: 'revoke', callbackurl: callbackUrl, appli: 44 },
      });
    },
  },
};
