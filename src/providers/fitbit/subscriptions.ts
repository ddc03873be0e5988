import { createHash } from 'node:crypto';
import { ProviderResponseError } from '../errors.ts';
import type { SubscriptionAdapter, VendorHttp } from '../types.ts';
import { FITBIT_WEBHOOK_DATA_TYPES, GOOGLE_HEALTH_PATHS } from './manifest.ts';
import { isObject } from './map-common.ts';

/**
 * Google Health webhook subscribers: one per app (per Google Cloud project), created under
 * `projects/{project}/subscribers` with `endpointUri` = WearLink's callback, the app's webhook secret
 * as `endpointAuthorization.secret` (Google echoes it in Authorization) and an AUTOMATIC policy (every
 * consenting user is notified; no per-user subscriptions). Google verifies the endpoint (two POSTs,
 * see webhook.ts) before the create succeeds. Subscribers do not expire.
 *
 * Gap: Google authorizes `projects.subscribers.*` with a project credential (a service account's
 * OAuth token); the platform has no app-level Google token, so the calls go without one (`auth:
 * 'none'`) and a real project needs that credential added here.
 */

/** The Google Cloud project number: the prefix of the OAuth client id (`<number>-….apps.googleusercontent.com`). */
export function projectOfClientId(clientId: string): string {
  const m = /^(\d+)-/.exec(clientId);
  if (!m)
    throw new Error(
      `"${clientId}" is not a Google OAuth client id (<project number>-….apps.googleusercontent.com)`,
    );
  return m[1] as string;
}

/** A stable subscriber id per callback URL (Google: 4–36 characters, lower-case letters, digits, hyphens). */
export const subscriberIdFor = (callbackUrl: string) =>
  `wearlink-${createHash('sha256').update(callbackUrl).digest('hex').slice(0, 16)}`;

interface Subscriber {
  name: string;
  endpointUri: string;
}

function asSubscriber(v: unknown): Subscriber | undefined {
  return isObject(v) && typeof v.name === 'string' && typeof v.endpointUri === 'string'
    ? { name: v.name, endpointUri: v.endpointUri }
    : undefined;
}

async function list(http: VendorHttp, project: string): Promise<Subscriber[]> {
  const body = await http.json({ path: GOOGLE_HEALTH_PATHS.subscribers(project), auth: 'none' });
  const items = isObject(body) && Array.isArray(body.subscribers) ? body.subscribers : [];
  return items.map(asSubscriber).filter((s): s is Subscriber => s !== undefined);
}

export const fitbitSubscriptions: SubscriptionAdapter = {
  async ensure({ http, app, callbackUrl, existing }) {
    const secret = app.webhookSecret;
    if (secret === undefined || secret === '')
      throw new Error(
        "Google Health webhooks need a secret: set the app's webhook_secret (or FITBIT_WEBHOOK_SECRET)",
      );
    const project = projectOfClientId(app.clientId);
    const found = (await list(http, project)).find((s) => s.endpointUri === callbackUrl);
    const secretSha = createHash('sha256').update(secret).digest('hex').slice(0, 16);
    if (found !== undefined) {
      if (existing?.vendorSubscriptionId === found.name && existing.details.secret_sha256 === secretSha)
        return undefined;
      if (existing?.details.secret_sha256 === undefined || existing.details.secret_sha256 === secretSha)
        return {
          vendorSubscriptionId: found.name,
          expiresAt: null,
          details: { project, secret_sha256: secretSha },
        };
      // The app's secret changed: the old subscriber would send the old one. Replace it.
      await http.request({ method: 'DELETE', path: `/v4/${found.name}`, auth: 'none', accept: [404] });
    }
    const subscriberId = subscriberIdFor(callbackUrl);
    const body = await http.json({
      method: 'POST',
      path: GOOGLE_HEALTH_PATHS.subscribers(project),
      query: { subscriberId },
      auth: 'none',
      json: {
        endpointUri: callbackUrl,
        subscriberConfigs: [
          { dataTypes: [...FITBIT_WEBHOOK_DATA_TYPES], subscriptionCreatePolicy: 'AUTOMATIC' },
        ],
        // Sent as a bearer credential; the receiver accepts it with or without `Bearer `.
        endpointAuthorization: { secret: `Bearer ${secret}` },
      },
    });
    // The create may answer the subscriber or a long-running operation wrapping it ([UNV] which).
    const created = asSubscriber(body) ?? (isObject(body) ? asSubscriber(body.response) : undefined);
    if (isObject(body) && isObject(body.error))
      throw new ProviderResponseError(
        `Google Health subscriber create failed: ${JSON.stringify(body.error)}`,
      );
    const name = created?.name ?? `projects/${project}/subscribers/${subscriberId}`;
    return { vendorSubscriptionId: name, expiresAt: null, details: { project, secret_sha256: secretSha } };
  },
};
