import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { daysOf, summariesFor } from './garmin-data.ts';
import { GarminNotifier } from './garmin-notifier.ts';
import { MockOAuthProvider, readBody, send } from './oauth.ts';

export { type GarminDelivery, GarminNotifier } from './garmin-notifier.ts';

/**
 * A local Garmin (Health + Activity API) on 127.0.0.1, per API-NOTES §1.6: OAuth 2.0 with PKCE S256 through
 * the shared OAuth mock (`/oauth2Confirm`, `/di-oauth2-service/oauth/token`, body client auth, 24 h access
 * tokens, refresh tokens rotated on every refresh); `user/id`, `user/permissions` (as a list or as
 * `{permissions}`; the `/partner-gateway/rest/user/…` aliases too, or only them); `DELETE
 * user/registration` (204, the grant dies, then a `deregistrations` push); summary endpoints refusing
 * ranges over 24 h, millisecond timestamps (400) and bad pull tokens (401); backfill with Garmin's 90/30-day
 * limits (400), 409 for a window asked before, 403 without historical consent and injectable failures,
 * whose data is then delivered by push or ping (per list key) to `notifier.webhookUrl`.
 *
 * @example
 * const garmin = await startGarminMock({ clientId: 'cid', clientSecret: 'secret' });
 * garmin.addUser('g-user-1');
 * garmin.oauth.approveNextAs('g-user-1');
 * garmin.notifier.webhookUrl = `${api}/api/v1/webhooks/garmin`;
 * garmin.deliverAs('sleeps', 'ping');
 * // PROVIDER_URLS=garmin=<garmin.url>; … await garmin.notifier.idle();
 */

const HEALTH = new Map(
  Object.entries({
    dailies: 'dailies',
    epochs: 'epochs',
    sleeps: 'sleeps',
    bodyComps: 'bodyComps',
    stressDetails: 'stressDetails',
    userMetrics: 'userMetrics',
    pulseOx: 'pulseox',
    respiration: 'allDayRespiration',
    healthSnapshot: 'healthSnapshot',
    hrv: 'hrv',
    bloodPressures: 'bloodPressures',
    skinTemp: 'skinTemp',
  }),
);
const ACTIVITY = new Map(
  Object.entries({
    activities: 'activities',
    activityDetails: 'activityDetails',
    moveiq: 'moveIQActivities',
  }),
);
const LIST_KEYS = new Set([...HEALTH.values(), ...ACTIVITY.values(), 'manuallyUpdatedActivities']);
const DAY_S = 86_400;

export interface GarminMockUser {
  permissions: string[];
  /** The consent screen's historical-data toggle (off by default at Garmin; on here). */
  historicalConsent: boolean;
  deregistered: boolean;
}

export interface GarminBackfillRequest {
  userId: string;
  type: string;
  start: number;
  end: number;
  status: number;
}

type Answer = { status: number; body?: unknown };
const refuse = (status: number, errorMessage: string): Answer => ({ status, body: { errorMessage } });

export class GarminMock {
  readonly oauth: MockOAuthProvider;
  readonly notifier: GarminNotifier;
  readonly users = new Map<string, GarminMockUser>();
  /** Every backfill request, in order, with the status it got. */
  readonly backfillRequests: GarminBackfillRequest[] = [];
  /** Users whose registration was deleted, in order. */
  readonly registrationsDeleted: string[] = [];
  /** Every data call (`GET /wellness-api/rest/user/id`, …). */
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  /** `array`: `["HEALTH_EXPORT", …]` (Garmin's docs); `object`: `{permissions: […]}` (open-wearables). */
  permissionsShape: 'array' | 'object' = 'array';
  /** Which user-endpoint prefixes answer (`partner`: `/wellness-api/rest/user/*` is a 404). */
  userPaths: 'both' | 'wellness' | 'partner' = 'both';
  /** Set once listening: callback URLs point here. */
  url = '';
  readonly #deliveryMode = new Map<string, 'push' | 'ping'>();
  readonly #accepted = new Set<string>();
  readonly #failures = new Map<string, { status: number; times: number }>();
  readonly #pullTokens = new Map<string, { userId: string; key: string }>();

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.oauth = new MockOAuthProvider({
      clientId,
      clientSecret,
      clientAuth: 'body',
      pkce: 'required',
      refresh: 'rotating',
      accessTokenTtlSeconds: 86_400,
      paths: { authorize: '/oauth2Confirm', token: '/di-oauth2-service/oauth/token' },
      tokenExtras: () => ({ refresh_token_expires_in: 7_775_998, jti: randomBytes(8).toString('hex') }),
    });
    this.notifier = new GarminNotifier(clientId);
  }

  addUser(userId: string, over: Partial<GarminMockUser> = {}): GarminMockUser {
    const user: GarminMockUser = {
      permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
      historicalConsent: true,
      deregistered: false,
      ...over,
    };
    this.users.set(userId, user);
    return user;
  }

  /** How a list key's data is delivered after a backfill (default push), as in Garmin's endpoint tool. */
  deliverAs(listKey: string, mode: 'push' | 'ping'): void {
    this.#deliveryMode.set(listKey, mode);
  }

  /** The next `times` backfill requests of `type` answer `status` (400/412/500…) and deliver nothing. */
  failBackfill(type: string, status: number, times = 1): void {
    this.#failures.set(type, { status, times });
  }

  /** Garmin notifies a permission change (the user toggled a permission in Garmin Connect). */
  changePermissions(userId: string, permissions: string[]): void {
    const user = this.users.get(userId);
    if (user) user.permissions = permissions;
    this.notifier.send('lifecycle', {
      userPermissionsChange: [
        {
          userId,
          summaryId: `perm-${Date.now()}`,
          permissions,
          changeTimeInSeconds: Math.floor(Date.now() / 1000),
        },
      ],
    });
  }

  /**
   * Garmin sends a user's `key` summaries of one day as it would after a device sync, by push or ping
   * (default: the key's delivery mode). Sending the same day twice is Garmin's re-send.
   */
  sendDay(userId: string, key: string, day: string, mode?: 'push' | 'ping'): void {
    const from = Date.parse(`${day}T00:00:00Z`) / 1000;
    this.#deliverWindow(userId, key, from, from + DAY_S, mode);
  }

  /** Backfill requests of one type (or all) that were accepted (202). */
  acceptedBackfills(type?: string): GarminBackfillRequest[] {
    return this.backfillRequests.filter((r) => r.status === 202 && (type === undefined || r.type === type));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (await this.oauth.handle(req, res, body)) return;
    const url = new URL(req.url ?? '/', 'http://mock');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method, path: url.pathname, query });
    const answer = this.#route(req, method, url.pathname, query);
    if (answer.body === undefined) return void res.writeHead(answer.status).end();
    send(res, answer.status, answer.body);
  }

  #route(req: IncomingMessage, method: string, path: string, q: Record<string, string>): Answer {
    const user = /^\/(wellness-api|partner-gateway)\/rest\/user\/(id|permissions|registration)$/.exec(path);
    const summary = /^\/wellness-api\/rest\/([A-Za-z]+)$/.exec(path);
    // A ping's callback carries its own pull token; everything else needs the user's bearer token.
    const pull = q.token === undefined ? undefined : this.#pullTokens.get(q.token);
    if (summary && q.token !== undefined && pull === undefined)
      return refuse(401, 'Unable to authenticate: the pull token is invalid or expired');
    const userId = pull?.userId ?? this.oauth.authenticate(req)?.userId;
    const account = userId === undefined ? undefined : this.users.get(userId);
    if (userId === undefined || account === undefined || account.deregistered)
      return refuse(401, 'Unable to authenticate the request');
    if (user) {
      const [, prefix, what] = user;
      const served =
        this.userPaths === 'both' || (prefix === 'wellness-api') === (this.userPaths === 'wellness');
      if (!served) return refuse(404, 'Not Found');
      if (what === 'id' && method === 'GET') return { status: 200, body: { userId } };
      if (what === 'permissions' && method === 'GET')
        return {
          status: 200,
          body:
            this.permissionsShape === 'array' ? account.permissions : { permissions: account.permissions },
        };
      if (what === 'registration' && method === 'DELETE') return this.#deregister(userId, account);
      return refuse(405, 'Method Not Allowed');
    }
    const backfill = /^\/wellness-api\/rest\/backfill\/([A-Za-z]+)$/.exec(path);
    if (backfill && method === 'GET') return this.#backfill(userId, account, backfill[1] as string, q);
    if (summary && method === 'GET' && LIST_KEYS.has(summary[1] as string))
      return this.#summaries(userId, summary[1] as string, q);
    return refuse(404, 'Not Found');
  }

  #deregister(userId: string, account: GarminMockUser): Answer {
    account.deregistered = true;
    this.oauth.revokeUser(userId);
    this.registrationsDeleted.push(userId);
    this.notifier.send('lifecycle', { deregistrations: [{ userId }] });
    return { status: 204 };
  }

  /** `uploadStartTimeInSeconds`/`uploadEndTimeInSeconds` (at most 24 h); here upload day = recording day. */
  #summaries(userId: string, key: string, q: Record<string, string>): Answer {
    const range = seconds(q.uploadStartTimeInSeconds, q.uploadEndTimeInSeconds);
    if ('error' in range) return refuse(400, range.error);
    if (range.end - range.start > DAY_S)
      return refuse(400, 'Invalid time range: the upload time range must not exceed 86400 seconds');
    const pull = q.token === undefined ? undefined : this.#pullTokens.get(q.token);
    if (pull !== undefined && pull.key !== key)
      return refuse(401, 'The pull token is not valid for this summary type');
    return { status: 200, body: daysOf(range.start, range.end).flatMap((d) => summariesFor(userId, d, key)) };
  }

  #backfill(userId: string, account: GarminMockUser, type: string, q: Record<string, string>): Answer {
    const range = seconds(q.summaryStartTimeInSeconds, q.summaryEndTimeInSeconds);
    const { start, end } = 'error' in range ? { start: 0, end: 0 } : range;
    const record = (status: number, errorMessage?: string): Answer => {
      this.backfillRequests.push({ userId, type, start, end, status });
      return errorMessage === undefined ? { status } : refuse(status, errorMessage);
    };
    const key = HEALTH.get(type) ?? ACTIVITY.get(type);
    if (key === undefined) return record(400, `Unknown summary type ${type}`);
    if ('error' in range) return record(400, range.error);
    const maxDays = HEALTH.has(type) ? 90 : 30;
    if (end - start > maxDays * DAY_S)
      return record(400, `Time range exceeds the maximum of ${maxDays} days`);
    if (!account.historicalConsent) return record(403, 'The user has not granted access to historical data');
    const failure = this.#failures.get(type);
    if (failure !== undefined && failure.times > 0) {
      failure.times--;
      return record(failure.status, `Injected ${failure.status} for ${type}`);
    }
    const window = `${userId}|${type}|${start}|${end}`;
    if (this.#accepted.has(window))
      return record(409, 'A backfill request for this time frame was already made');
    this.#accepted.add(window);
    record(202);
    this.#deliverWindow(userId, key, start, end);
    return { status: 202 };
  }

  /** The backfilled data as Garmin sends it: one push of every summary, or one ping item per day. */
  #deliverWindow(userId: string, key: string, start: number, end: number, mode?: 'push' | 'ping'): void {
    const days = daysOf(start, end).filter((d) => summariesFor(userId, d, key).length > 0);
    if (days.length === 0) return;
    if ((mode ?? this.#deliveryMode.get(key) ?? 'push') === 'push') {
      this.notifier.send('push', { [key]: days.flatMap((d) => summariesFor(userId, d, key)) });
      return;
    }
    const items = days.map((day) => {
      const token = randomBytes(12).toString('base64url');
      this.#pullTokens.set(token, { userId, key });
      const from = Date.parse(`${day}T00:00:00Z`) / 1000;
      return {
        userId,
        callbackURL: `${this.url}/wellness-api/rest/${key}?uploadStartTimeInSeconds=${from}&uploadEndTimeInSeconds=${from + DAY_S}&token=${token}`,
      };
    });
    this.notifier.send('ping', { [key]: items });
  }
}

/** Epoch seconds from two query values, refusing missing, reversed and millisecond values as Garmin does. */
function seconds(
  from: string | undefined,
  to: string | undefined,
): { start: number; end: number } | { error: string } {
  if (from === undefined || to === undefined || !/^\d+$/.test(from) || !/^\d+$/.test(to))
    return { error: 'Both start and end times are required, in epoch seconds' };
  const start = Number(from);
  const end = Number(to);
  if (start > 1e11 || end > 1e11) return { error: 'The timestamp looks like milliseconds; use seconds' };
  if (end <= start) return { error: 'The end time must be after the start time' };
  return { start, end };
}

export interface RunningGarminMock extends GarminMock {
  server: Server;
  close(): Promise<void>;
}

export async function startGarminMock(options: {
  clientId: string;
  clientSecret: string;
}): Promise<RunningGarminMock> {
  const mock = new GarminMock(options.clientId, options.clientSecret);
  const server = createServer((req, res) => {
    mock.handle(req, res).catch((error: unknown) => send(res, 500, { errorMessage: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(mock, {
    server,
    close: async () => {
      await mock.notifier.idle();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  });
}
