import { createHash } from 'node:crypto';
import type { Logger } from '../../shared/logger.ts';
import { ProviderResponseError } from '../errors.ts';
import type { ProviderAppCredentials, SubscriptionAdapter, VendorHttp, VendorRequest } from '../types.ts';
import { FITBIT_WEBHOOK_DATA_TYPES, GOOGLE_HEALTH_PATHS } from './manifest.ts';
import { isObject } from './map-common.ts';
import {
  forgetServiceAccountToken,
  type GoogleServiceAccount,
  serviceAccountToken,
} from './service-account.ts';

/**
 * Google Health webhook subscribers: one per app (per Google Cloud project), created under
 * `projects/{project}/subscribers` with `endpointUri` = WearLink's callback, the app's webhook secret
 * as `endpointAuthorization.secret` (Google echoes it in Authorization) and an AUTOMATIC policy (every
 * consenting user is notified; no per-user subscriptions). Google verifies the endpoint (two POSTs,
 * see webhook.ts) before the create succeeds. Subscribers do not expire.
 *
 * Google authorizes `projects.subscribers.*` with a project credential, not a user's token: the
 * instance app's service account (FITBIT_SERVICE_ACCOUNT_KEY_FILE, service-account.ts) signs the calls.
 * A developer-owned app has no service account in WearLink, so nothing is called (Google would answer
 * 401 every round): a warning tells the developer to create the subscriber in their own Google Cloud
 * project with WearLink's endpoint URL and their app's webhook secret.
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

/** What every subscriber call carries: the service account's token (the vendor client adds none). */
type AdminAuth = Pick<VendorRequest, 'auth' | 'headers'>;

/** A call with the service account's token; a 401 drops the cached token so the next round mints anew. */
async function asProject<T>(account: GoogleServiceAccount, call: (auth: AdminAuth) => Promise<T>) {
  const token = await serviceAccountToken(account);
  try {
    return await call({ auth: 'none', headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    if (error instanceof ProviderResponseError && error.status === 401) forgetServiceAccountToken(account);
    throw error;
  }
}

/** Emitted once per check of an app WearLink cannot subscribe for (no service account). */
export const NO_SERVICE_ACCOUNT_WARNING = 'WEARLINK_FITBIT_SUBSCRIBER_NOT_MANAGED';

function warnNotManaged(
  logger: Pick<Logger, 'warn'> | undefined,
  app: ProviderAppCredentials,
  project: string,
  callbackUrl: string,
): void {
  const owner =
    app.developerId === null ? 'the instance fitbit app' : `developer ${app.developerId}'s fitbit app`;
  logger?.warn(
    { code: NO_SERVICE_ACCOUNT_WARNING, project, callback_url: callbackUrl },
    `Google Health webhooks of ${owner} (client ${app.clientId}) are not subscribed by WearLink: ` +
      `Google authorizes subscriber calls with a service account of project ${project}. ` +
      `Create the subscriber in that Google Cloud project (POST projects/${project}/subscribers, ` +
      `endpointUri ${callbackUrl}, endpointAuthorization.secret "Bearer <the app's webhook secret>", ` +
      `subscriptionCreatePolicy AUTOMATIC for ${FITBIT_WEBHOOK_DATA_TYPES.join(', ')})` +
      (app.developerId === null ? ', or set FITBIT_SERVICE_ACCOUNT_KEY_FILE.' : '.'),
  );
}

async function list(http: VendorHttp, project: string, auth: AdminAuth): Promise<Subscriber[]> {
  const body = await http.json({ path: GOOGLE_HEALTH_PATHS.subscribers(project), ...auth });
  const items = isObject(body) && Array.isArray(body.subscribers) ? body.subscribers : [];
  return items.map(asSubscriber).filter((s): s is Subscriber => s !== undefined);
}

export const fitbitSubscriptions: SubscriptionAdapter = {
  async ensure({ http, app, callbackUrl, existing, logger }) {
    const secret = app.webhookSecret;
    if (secret === undefined || secret === '')
      throw new Error(
        "Google Health webhooks need a secret: set the app's webhook_secret (or FITBIT_WEBHOOK_SECRET)",
      );
    const project = projectOfClientId(app.clientId);
    if (app.serviceAccount === undefined) {
      warnNotManaged(logger, app, project, callbackUrl);
      return undefined;
    }
    return asProject(app.serviceAccount, (auth) =>
      ensureWith(http, auth, { project, secret, callbackUrl, existing }),
    );
  },
};

async function ensureWith(
  http: VendorHttp,
  auth: AdminAuth,
  input: {
    project: string;
    secret: string;
    callbackUrl: string;
    existing: Parameters<SubscriptionAdapter['ensure']>[0]['existing'];
  },
): ReturnType<SubscriptionAdapter['ensure']> {
  const { project, secret, callbackUrl, existing } = input;
  const found = (await list(http, project, auth)).find((s) => s.endpointUri === callbackUrl);
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
    await http.request({ method: 'DELETE', path: `/v4/${found.name}`, ...auth, accept: [404] });
  }
  const subscriberId = subscriberIdFor(callbackUrl);
  const body = await http.json({
    method: 'POST',
    path: GOOGLE_HEALTH_PATHS.subscribers(project),
    query: { subscriberId },
    ...auth,
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
    throw new ProviderResponseError(`Google Health subscriber create failed: ${JSON.stringify(body.error)}`);
  const name = created?.name ?? `projects/${project}/subscribers/${subscriberId}`;
  return { vendorSubscriptionId: name, expiresAt: null, details: { project, secret_sha256: secretSha } };
}
