import { describe, expect, it } from 'vitest';
import { garminWebhook } from '../../../src/providers/garmin/webhook.ts';
import type { InboundRequest } from '../../../src/providers/types.ts';

/** Garmin's webhook adapter: push and ping envelopes, lifecycle keys, foreign callback hosts, bad bodies. */

const GARMIN = 'https://apis.garmin.com';
const context = { isVendorUrl: (url: string) => url.startsWith(`${GARMIN}/`) };
const request = (value: unknown): InboundRequest => ({
  method: 'POST',
  headers: { 'garmin-client-id': 'cid' },
  query: {},
  body: new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)),
});
const parse = (value: unknown) => garminWebhook.parse(request(value), context);
const notificationsOf = (value: unknown) => {
  const result = parse(value);
  if (!result.ok) throw new Error(result.error);
  return result.notifications;
};

describe('Garmin push bodies', () => {
  it('groups items per user and key, pointing at their indexes in the stored body', () => {
    const notifications = notificationsOf({
      dailies: [
        { userId: 'u1', summaryId: 'd1', calendarDate: '2026-11-30' },
        { userId: 'u2', summaryId: 'd2', calendarDate: '2026-11-30' },
        { userId: 'u1', summaryId: 'd3', calendarDate: '2026-12-01' },
      ],
      allDayRespiration: [{ userId: 'u1', summaryId: 'r1' }],
    });
    expect(notifications).toEqual([
      {
        kind: 'pull',
        providerUserId: 'u1',
        target: { resource: 'dailies', delivery: { key: 'dailies', indexes: [0, 2] } },
      },
      {
        kind: 'pull',
        providerUserId: 'u2',
        target: { resource: 'dailies', delivery: { key: 'dailies', indexes: [1] } },
      },
      {
        kind: 'pull',
        providerUserId: 'u1',
        target: { resource: 'respiration', delivery: { key: 'allDayRespiration', indexes: [0] } },
      },
    ]);
  });

  it('maps every list key of the table to its resource (pulseox, moveIQActivities, …)', () => {
    const keys = {
      pulseox: 'pulse_ox',
      moveIQActivities: 'move_iq',
      manuallyUpdatedActivities: 'manually_updated_activities',
      activityDetails: 'activity_details',
      bodyComps: 'body_comps',
      skinTemp: 'skin_temp',
    };
    for (const [key, resource] of Object.entries(keys))
      expect(notificationsOf({ [key]: [{ userId: 'u1', summaryId: 's' }] })[0]).toMatchObject({
        kind: 'pull',
        target: { resource, delivery: { key, indexes: [0] } },
      });
  });

  it('ignores unknown keys, activity files and items without a userId, keeping the rest', () => {
    const notifications = notificationsOf({
      mct: [{ userId: 'u1' }],
      activityFiles: [{ userId: 'u1', callbackURL: `${GARMIN}/wellness-api/rest/activityFile?id=1&token=t` }],
      epochs: [{ summaryId: 'no-user' }, { userId: 'u1', summaryId: 'e1' }],
    });
    expect(notifications.map((n) => n.kind)).toEqual(['ignore', 'ignore', 'ignore', 'pull']);
    expect(notifications[1]).toMatchObject({ reason: expect.stringContaining('FIT files are not imported') });
    expect(notifications[3]).toMatchObject({ target: { resource: 'epochs', delivery: { indexes: [1] } } });
  });
});

describe('Garmin ping bodies', () => {
  const url = `${GARMIN}/wellness-api/rest/sleeps?uploadStartTimeInSeconds=1&uploadEndTimeInSeconds=2&token=secret`;

  it('a callbackURL on Garmin’s host → a pull of that URL', () => {
    expect(notificationsOf({ sleeps: [{ userId: 'u1', callbackURL: url }] })).toEqual([
      {
        kind: 'pull',
        providerUserId: 'u1',
        target: { resource: 'sleeps', url, details: { list_key: 'sleeps' } },
      },
    ]);
  });

  it('refuses a callback host that is not Garmin’s, without echoing its token', () => {
    const [n] = notificationsOf({
      sleeps: [{ userId: 'u1', callbackURL: 'https://evil.example/wellness-api/rest/sleeps?token=stolen' }],
    });
    expect(n).toMatchObject({ kind: 'ignore', reason: expect.stringMatching(/^refused: callback host/) });
    expect(JSON.stringify(n)).toContain('https://evil.example');
    expect(JSON.stringify(n)).not.toContain('stolen');
  });

  it('refuses every ping when no vendor-URL check is given', () => {
    const result = garminWebhook.parse(request({ sleeps: [{ userId: 'u1', callbackURL: url }] }));
    expect(result).toMatchObject({ ok: true, notifications: [{ kind: 'ignore' }] });
  });
});

describe('Garmin lifecycle bodies', () => {
  it('deregistrations → deauthorize once per user', () => {
    expect(
      notificationsOf({ deregistrations: [{ userId: 'u1' }, { userId: 'u1' }, { userId: 'u2' }] }),
    ).toEqual([
      { kind: 'deauthorize', providerUserId: 'u1' },
      { kind: 'deauthorize', providerUserId: 'u2' },
    ]);
  });

  it('userPermissionsChange → permissions', () => {
    expect(
      notificationsOf({
        userPermissionsChange: [
          {
            userId: 'u1',
            summaryId: 'p1',
            permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
            changeTimeInSeconds: 1,
          },
        ],
      }),
    ).toEqual([
      { kind: 'permissions', providerUserId: 'u1', permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'] },
    ]);
  });
});

describe('malformed Garmin bodies', () => {
  it.each([
    ['not JSON', '{"dailies": ['],
    ['a list', [{ userId: 'u1' }]],
    ['a key that is not a list', { dailies: { userId: 'u1' } }],
    ['an item that is not an object', { dailies: ['u1'] }],
  ])('%s → an error', (_, value) => {
    expect(parse(value)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a Garmin notification'),
    });
  });

  it('an empty envelope is acknowledged and ignored', () => {
    expect(notificationsOf({})).toEqual([{ kind: 'ignore', reason: 'Garmin sent no items' }]);
  });
});
