import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderResponseError } from '../../../src/providers/errors.ts';
import { garminProvider } from '../../../src/providers/garmin/index.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import { isVendorUrl } from '../../../src/providers/manifest.ts';
import type { PullContext, VendorHttp } from '../../../src/providers/types.ts';
import { type RunningGarminMock, startGarminMock } from '../../support/vendor-mocks/garmin.ts';
import { summariesFor } from '../../support/vendor-mocks/garmin-data.ts';
import { app, connectGarmin, DAY, type Receiver, runtimeFor, startReceiver } from './mock-runtime.ts';

/**
 * Garmin's module against the local Garmin mock through WearLink's real vendor HTTP client: PKCE connect,
 * identify (both permission shapes, the partner-gateway fallback), backfill outcomes (202 and its delivery,
 * 409, 400 for windows over 90/30 days, 403 without historical consent, an injected 412 then a retry),
 * a ping's callback fetched and its foreign/forged variants refused, deregistration.
 */

let garmin: RunningGarminMock;
let receiver: Receiver;
const backfill = garminProvider.backfill!;
const T0 = Date.parse('2026-10-01T00:00:00Z');

async function httpFor(userId: string): Promise<VendorHttp> {
  garmin.oauth.approveNextAs(userId);
  const { source } = await connectGarmin(garmin.url);
  return createVendorHttp(runtimeFor(garmin.url), { module: garminProvider, app, tokens: source });
}

const contextFor = (http: VendorHttp): PullContext => ({
  userId: 'u',
  providerUserId: null,
  settings: {},
  windowIndex: 0,
  attempt: 1,
  cursorMs: undefined,
  http,
});

const parseDelivery = (body: unknown) =>
  garminProvider.webhook!.parse(
    { method: 'POST', headers: {}, query: {}, body: new TextEncoder().encode(JSON.stringify(body)) },
    { isVendorUrl: (url) => isVendorUrl(garminProvider.manifest, url, { garmin: garmin.url }) },
  );

beforeAll(async () => {
  garmin = await startGarminMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  receiver = await startReceiver();
  garmin.notifier.webhookUrl = receiver.url;
  garmin.notifier.retryBaseMs = 10;
});
afterAll(async () => {
  await garmin.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
  garmin.permissionsShape = 'array';
  garmin.userPaths = 'both';
});

describe('Garmin manifest', () => {
  it('backfill types carry Garmin’s spellings, windows and the list keys that deliver them', () => {
    const types = garminProvider.manifest.backfill?.types ?? [];
    expect(types).toHaveLength(15);
    expect(types.find((t) => t.name === 'pulseOx')).toEqual({
      name: 'pulseOx',
      max_window_days: 90,
      delivered_as: ['pulseox'],
      family: 'daily',
    });
    expect(types.find((t) => t.name === 'moveiq')).toMatchObject({
      max_window_days: 30,
      delivered_as: ['moveIQActivities'],
    });
    expect(types.some((t) => t.delivered_as.includes('manuallyUpdatedActivities'))).toBe(false);
    expect(garminProvider.manifest.sync).toMatchObject({ strategy: 'push', historical_days: 30 });
    expect(garminProvider.manifest.sync.resources).toHaveLength(16);
  });
});

describe('Garmin connect and identify', () => {
  it('refuses a code exchange whose verifier does not match the S256 challenge', async () => {
    garmin.addUser('g-pkce');
    garmin.oauth.approveNextAs('g-pkce');
    await expect(connectGarmin(garmin.url, 'not-the-verifier')).rejects.toThrow(/token refused: 400/);
  });

  it('reads the user id and permissions given as a list', async () => {
    garmin.addUser('g-list', { permissions: ['HEALTH_EXPORT'] });
    const http = await httpFor('g-list');
    await expect(
      garminProvider.identify!({ http, tokens: { access_token: '' }, userId: 'u' }),
    ).resolves.toEqual({
      providerUserId: 'g-list',
      scopes: ['HEALTH_EXPORT'],
    });
  });

  it('reads {permissions:[…]} and falls back to /partner-gateway when /wellness-api answers 404', async () => {
    garmin.addUser('g-obj', { permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'] });
    const http = await httpFor('g-obj');
    garmin.permissionsShape = 'object';
    garmin.userPaths = 'partner';
    await expect(
      garminProvider.identify!({ http, tokens: { access_token: '' }, userId: 'u' }),
    ).resolves.toEqual({
      providerUserId: 'g-obj',
      scopes: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
    });
    const paths = garmin.requests.map((r) => r.path);
    expect(paths).toContain('/wellness-api/rest/user/id');
    expect(paths).toContain('/partner-gateway/rest/user/permissions');
  });

  it('never pulls by window', async () => {
    const http = await httpFor('g-list');
    await expect(
      garminProvider.pull.fetch(contextFor(http), 'dailies', { fromMs: T0, toMs: T0 + DAY, label: 'x' }),
    ).rejects.toThrow(ProviderResponseError);
  });
});

describe('Garmin backfill requests', () => {
  it('202 → requested, then the window’s summaries are pushed with Garmin’s headers; a repeat is a 409 duplicate', async () => {
    garmin.addUser('g-bf');
    const http = await httpFor('g-bf');
    const window = { fromMs: T0, toMs: T0 + 3 * DAY };
    await expect(backfill.request({ http, providerUserId: 'g-bf' }, 'sleeps', window)).resolves.toEqual({
      status: 'requested',
    });
    await garmin.notifier.idle();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.headers['garmin-client-id']).toBe(app.clientId);
    expect(delivery?.headers['user-agent']).toBe('Garmin Health API');
    const expected = ['2026-10-01', '2026-10-02', '2026-10-03'].flatMap((d) =>
      summariesFor('g-bf', d, 'sleeps'),
    );
    expect(delivery?.body).toEqual({ sleeps: expected });
    expect(parseDelivery(delivery?.body)).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: 'g-bf',
          target: { resource: 'sleeps', delivery: { key: 'sleeps', indexes: [0, 1, 2] } },
        },
      ],
    });
    expect(garmin.acceptedBackfills('sleeps')).toEqual([
      { userId: 'g-bf', type: 'sleeps', start: T0 / 1000, end: (T0 + 3 * DAY) / 1000, status: 202 },
    ]);

    await expect(backfill.request({ http, providerUserId: 'g-bf' }, 'sleeps', window)).resolves.toEqual({
      status: 'duplicate',
    });
    await garmin.notifier.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('a window over 90 days (health) or 30 days (activity) fails with Garmin’s 400 message', async () => {
    const http = await httpFor('g-bf');
    const health = await backfill.request({ http, providerUserId: 'g-bf' }, 'pulseOx', {
      fromMs: T0,
      toMs: T0 + 91 * DAY,
    });
    expect(health).toEqual({
      status: 'failed',
      vendorStatus: 400,
      reason: expect.stringContaining('maximum of 90 days'),
    });
    expect(
      await backfill.request({ http, providerUserId: 'g-bf' }, 'pulseOx', {
        fromMs: T0,
        toMs: T0 + 90 * DAY,
      }),
    ).toEqual({
      status: 'requested',
    });
    const activity = await backfill.request({ http, providerUserId: 'g-bf' }, 'moveiq', {
      fromMs: T0,
      toMs: T0 + 31 * DAY,
    });
    expect(activity).toMatchObject({
      status: 'failed',
      vendorStatus: 400,
      reason: expect.stringContaining('30 days'),
    });
    await garmin.notifier.idle();
  });

  it('403 without historical-data consent; an unknown type is refused before any call', async () => {
    garmin.addUser('g-nohist', { historicalConsent: false });
    const http = await httpFor('g-nohist');
    const outcome = await backfill.request({ http, providerUserId: 'g-nohist' }, 'dailies', {
      fromMs: T0,
      toMs: T0 + DAY,
    });
    expect(outcome).toEqual({
      status: 'failed',
      vendorStatus: 403,
      reason: expect.stringMatching(/historical data.*\(403\): The user has not granted access/),
    });
    const before = garmin.backfillRequests.length;
    expect(
      await backfill.request({ http, providerUserId: 'g-nohist' }, 'pulseox', { fromMs: T0, toMs: T0 + DAY }),
    ).toMatchObject({
      status: 'failed',
    });
    expect(garmin.backfillRequests).toHaveLength(before);
  });

  it('an injected refusal (412) fails that request only; asking the same window again is accepted', async () => {
    garmin.addUser('g-retry');
    const http = await httpFor('g-retry');
    const window = { fromMs: T0, toMs: T0 + 2 * DAY };
    garmin.failBackfill('activities', 412);
    expect(await backfill.request({ http, providerUserId: 'g-retry' }, 'activities', window)).toMatchObject({
      status: 'failed',
      vendorStatus: 412,
    });
    expect(await backfill.request({ http, providerUserId: 'g-retry' }, 'activities', window)).toEqual({
      status: 'requested',
    });
    await garmin.notifier.idle();
    // 2026-10-02 is an activity day, 10-01 is not: one activity pushed.
    expect(receiver.received.map((r) => r.body)).toEqual([
      { activities: summariesFor('g-retry', '2026-10-02', 'activities') },
    ]);
  });

  it('a refused delivery is retried until the endpoint answers 200', async () => {
    garmin.addUser('g-redeliver');
    const http = await httpFor('g-redeliver');
    receiver.refuseNext = 2;
    await backfill.request({ http, providerUserId: 'g-redeliver' }, 'hrv', { fromMs: T0, toMs: T0 + DAY });
    await garmin.notifier.idle();
    const last = garmin.notifier.deliveries.at(-1);
    expect(last?.attempts).toEqual([503, 503, 200]);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('Garmin pings', () => {
  it('a backfill delivered as ping: one callback per day, fetched through the client, forged token refused', async () => {
    garmin.addUser('g-ping');
    garmin.deliverAs('dailies', 'ping');
    const http = await httpFor('g-ping');
    await backfill.request({ http, providerUserId: 'g-ping' }, 'dailies', { fromMs: T0, toMs: T0 + 2 * DAY });
    await garmin.notifier.idle();
    const parsed = parseDelivery(receiver.received[0]?.body);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.notifications).toHaveLength(2);
    const pages = [];
    for (const n of parsed.notifications) {
      if (n.kind !== 'pull') throw new Error(`unexpected ${n.kind}`);
      expect(n.target.url).toMatch(/uploadStartTimeInSeconds=\d+&uploadEndTimeInSeconds=\d+&token=/);
      pages.push(...(await garminProvider.pull.fetchTarget!(contextFor(http), n.target)));
    }
    expect(pages).toEqual([
      { resource: 'dailies', payload: summariesFor('g-ping', '2026-10-01', 'dailies') },
      { resource: 'dailies', payload: summariesFor('g-ping', '2026-10-02', 'dailies') },
    ]);

    const first = parsed.notifications[0];
    if (first?.kind !== 'pull' || first.target.url === undefined) throw new Error('no url');
    const forged = first.target.url.replace(/token=[^&]+/, 'token=forged');
    await expect(
      garminProvider.pull.fetchTarget!(contextFor(http), { resource: 'dailies', url: forged }),
    ).rejects.toThrow(ProviderAuthError);
    const foreign = first.target.url.replace(garmin.url, 'http://127.0.0.2:1');
    await expect(
      garminProvider.pull.fetchTarget!(contextFor(http), { resource: 'dailies', url: foreign }),
    ).rejects.toThrow(/outside its API hosts/);
    expect(parseDelivery({ dailies: [{ userId: 'g-ping', callbackURL: foreign }] })).toMatchObject({
      ok: true,
      notifications: [{ kind: 'ignore', reason: expect.stringMatching(/^refused: callback host/) }],
    });
  });

  it('sendDay: a live push or ping of one day, for any list key', async () => {
    garmin.addUser('g-live');
    garmin.sendDay('g-live', 'epochs', '2026-10-05', 'push');
    garmin.sendDay('g-live', 'moveIQActivities', '2026-10-05', 'ping');
    await garmin.notifier.idle();
    // Two deliveries in flight: their arrival order is not fixed.
    const bodies = receiver.received.map((r) => r.body);
    expect(bodies).toHaveLength(2);
    expect(bodies).toContainEqual({ epochs: summariesFor('g-live', '2026-10-05', 'epochs') });
    expect(bodies).toContainEqual({
      moveIQActivities: [
        { userId: 'g-live', callbackURL: expect.stringContaining('/wellness-api/rest/moveIQActivities?') },
      ],
    });
  });

  it('the summary endpoint refuses more than 24 h and millisecond timestamps (400)', async () => {
    const http = await httpFor('g-ping');
    const s = T0 / 1000;
    const get = (start: number, end: number) =>
      http.json({
        path: '/wellness-api/rest/dailies',
        query: { uploadStartTimeInSeconds: start, uploadEndTimeInSeconds: end },
      });
    await expect(get(s, s + 86_401)).rejects.toMatchObject({ status: 400 });
    await expect(get(T0, T0 + 1000)).rejects.toMatchObject({ status: 400 });
    await expect(get(s, s + 86_400)).resolves.toEqual(summariesFor('g-ping', '2026-10-01', 'dailies'));
  });
});

describe('Garmin disconnect', () => {
  it('deletes the registration (204), Garmin pushes a deregistration, and the grant no longer works', async () => {
    garmin.addUser('g-bye');
    const http = await httpFor('g-bye');
    await garminProvider.confirmGrant!(http);
    await garminProvider.revoke!({ http, tokens: { access_token: '' }, providerUserId: 'g-bye', app });
    expect(garmin.registrationsDeleted).toEqual(['g-bye']);
    await garmin.notifier.idle();
    expect(receiver.received.map((r) => r.body)).toEqual([{ deregistrations: [{ userId: 'g-bye' }] }]);
    expect(parseDelivery(receiver.received[0]?.body)).toEqual({
      ok: true,
      notifications: [{ kind: 'deauthorize', providerUserId: 'g-bye' }],
    });
    await expect(garminProvider.confirmGrant!(http)).rejects.toThrow(ProviderAuthError);
  });
});
