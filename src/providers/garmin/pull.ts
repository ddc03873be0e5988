import { ProviderResponseError } from '../errors.ts';
import type {
  BackfillAdapter,
  BackfillRequestOutcome,
  PullContext,
  PullTarget,
  VendorHttp,
} from '../types.ts';
import { summaryTypeOfBackfillType } from './summary-types.ts';

/**
 * What WearLink calls at Garmin (API-NOTES §1.1, §1.4): the user's id and permissions after the code
 * exchange, the deregistration on disconnect, a ping's callback URL, and backfill requests. Garmin forbids
 * pulling on WearLink's own initiative, so there is no window fetch.
 */

type Json = Record<string, unknown>;

/**
 * The path prefixes Garmin's user endpoints are documented under (`/wellness-api/rest/user/…`) and the
 * one open-wearables calls (`/partner-gateway/rest/user/…`): which one Garmin serves today is [UNV], so a
 * 404 on the first tries the second.
 */
const USER_PREFIXES = ['/wellness-api/rest/user', '/partner-gateway/rest/user'] as const;

async function userGet(http: VendorHttp, what: 'id' | 'permissions'): Promise<unknown> {
  for (const prefix of USER_PREFIXES) {
    const response = await http.request({ path: `${prefix}/${what}`, accept: [404] });
    if (response.status !== 404) return response.body;
  }
  throw new ProviderResponseError(`Garmin has no user/${what} endpoint (404 on every known path)`, 404);
}

/** The permission list, from `[...]` (Garmin's docs) or `{permissions: [...]}` (open-wearables). */
export function permissionsOf(body: unknown): string[] {
  const list = Array.isArray(body) ? body : (body as Json | undefined)?.permissions;
  if (!Array.isArray(list)) throw new ProviderResponseError('Garmin user/permissions is not a list');
  return list.filter((p): p is string => typeof p === 'string');
}

/**
 * The Garmin user id (stable across re-registrations and apps: the routing key of pushes) and what the
 * user granted (`ACTIVITY_EXPORT`, `HEALTH_EXPORT`, …), stored as the connection's scopes.
 *
 * @example const { providerUserId, scopes } = await identifyGarmin(http); // 'e1a…', ['HEALTH_EXPORT']
 */
export async function identifyGarmin(
  http: VendorHttp,
): Promise<{ providerUserId: string; scopes: string[] }> {
  const body = (await userGet(http, 'id')) as Json | undefined;
  const id = body?.userId;
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number')
    throw new ProviderResponseError('Garmin user/id carries no userId');
  return { providerUserId: String(id), scopes: permissionsOf(await userGet(http, 'permissions')) };
}

/**
 * Disconnect: deletes the user's registration (204). Garmin then sends a final `deregistrations`
 * notification and refuses the token. A 403/404 (registration already gone) is accepted; a 401 after the
 * client's one refresh raises ProviderAuthError, which the disconnect flow logs before revoking locally.
 */
export async function revokeGarmin(http: VendorHttp): Promise<void> {
  await http.request({
    method: 'DELETE',
    path: '/wellness-api/rest/user/registration',
    accept: [204, 403, 404],
  });
}

/** A cheap call with the user's token: fails with ProviderAuthError once the grant is gone. */
export async function confirmGarminGrant(http: VendorHttp): Promise<void> {
  await http.request({ path: '/wellness-api/rest/user/id' });
}

/**
 * A ping's callback URL, called as given (it carries the upload range and a short-lived pull token);
 * the vendor client refuses any URL outside Garmin's configured hosts. The answer is a list of summaries.
 */
export async function fetchGarminTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  if (target.url === undefined)
    throw new ProviderResponseError(`Garmin ${target.resource} target has no callback URL to fetch`);
  const body = await context.http.json({ path: target.url, auth: 'user' });
  if (!Array.isArray(body))
    throw new ProviderResponseError(`Garmin ${target.resource} callback did not return a list`);
  return [{ resource: target.resource, payload: body }];
}

/** Never called: a push vendor has no window pulls (the engine backfills instead). */
export async function fetchGarmin(): Promise<unknown> {
  throw new ProviderResponseError(
    'Garmin data is pushed: it cannot be pulled by window (historical data comes from backfill requests)',
  );
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * `GET /wellness-api/rest/backfill/<type>?summaryStartTimeInSeconds&summaryEndTimeInSeconds` (times of
 * recording, epoch seconds). 202: the data will come as pushes/pings; 409: this window was asked before
 * and nothing more will come; 400 (window too long), 403 (no historical-data consent, or the token),
 * 412 (the user switched the type off): failed with Garmin's `errorMessage`.
 *
 * @example await garminBackfill.request({ http, providerUserId: 'u1' }, 'sleeps', { fromMs, toMs })
 * // { status: 'requested' }
 */
export const garminBackfill: BackfillAdapter = {
  async request({ http }, type, window): Promise<BackfillRequestOutcome> {
    if (summaryTypeOfBackfillType(type) === undefined)
      return { status: 'failed', reason: `Garmin has no backfill type "${type}"` };
    const response = await http.request<unknown>({
      path: `/wellness-api/rest/backfill/${encodeURIComponent(type)}`,
      query: {
        summaryStartTimeInSeconds: seconds(window.fromMs),
        summaryEndTimeInSeconds: seconds(window.toMs),
      },
      accept: [400, 403, 409, 412],
    });
    if (response.status === 409) return { status: 'duplicate' };
    if (response.status >= 200 && response.status < 300) return { status: 'requested' };
    const message = (response.body as Json | undefined)?.errorMessage;
    const why: Record<number, string> = {
      400: 'Garmin refused the request',
      403: 'Garmin refused: the user has not allowed historical data (or the token is no longer valid)',
      412: 'Garmin refused: the user switched this summary type off',
    };
    const reason = `${why[response.status] ?? 'Garmin refused'} (${response.status})${
      typeof message === 'string' && message !== '' ? `: ${message}` : ''
    }`;
    return { status: 'failed', reason, vendorStatus: response.status };
  },
};
