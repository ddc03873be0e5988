import { describe, expect, it } from 'vitest';
import { stravaWebhook } from '../../../src/providers/strava/webhook.ts';
import { stravaText } from '../../support/vendor-mocks/strava-data.ts';

const post = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query: {},
  body: new TextEncoder().encode(body),
});
const event = (over: Record<string, unknown> = {}) =>
  stravaText({
    aspect_type: 'create',
    event_time: 1_764_600_000,
    object_id: '#9007199254740993',
    object_type: 'activity',
    owner_id: '#9007199254740995',
    subscription_id: '#120475',
    updates: {},
    ...over,
  });

describe('Strava webhook adapter', () => {
  const handshake = stravaWebhook.handshake as NonNullable<typeof stravaWebhook.handshake>;
  const get = (query: Record<string, string>) => ({
    method: 'GET',
    headers: {},
    query,
    body: new Uint8Array(),
  });

  it('echoes hub.challenge as JSON when the verify token is one of ours', () => {
    expect(
      handshake(
        get({
          'hub.mode': 'subscribe',
          'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3',
          'hub.verify_token': 'b',
        }),
        ['a', 'b'],
      ),
    ).toEqual({
      status: 200,
      body: { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' },
      contentType: 'application/json',
    });
  });

  it('refuses a wrong or missing verify token (403) and a broken handshake (400); other GETs are not handshakes', () => {
    expect(
      handshake(get({ 'hub.mode': 'subscribe', 'hub.challenge': 'x', 'hub.verify_token': 'z' }), ['a']),
    ).toMatchObject({
      status: 403,
      body: { code: 'bad_verify_token' },
    });
    expect(handshake(get({ 'hub.mode': 'subscribe', 'hub.challenge': 'x' }), [])).toMatchObject({
      status: 403,
    });
    expect(handshake(get({ 'hub.mode': 'unsubscribe', 'hub.challenge': 'x' }), ['a'])).toMatchObject({
      status: 400,
    });
    expect(handshake(get({ 'hub.mode': 'subscribe' }), ['a'])).toMatchObject({ status: 400 });
    expect(handshake(get({}), ['a'])).toBeUndefined();
    expect(handshake({ ...post(event()), query: { 'hub.challenge': 'x' } }, ['a'])).toBeUndefined();
  });

  it('an activity create/update pulls that activity, ids exact', () => {
    expect(stravaWebhook.parse(post(event()))).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: '9007199254740995',
          target: {
            resource: 'activities',
            objectId: '9007199254740993',
            details: { aspect_type: 'create', subscription_id: '120475' },
          },
        },
      ],
    });
  });

  it('athlete deauthorization ("false", a string) disconnects; a delete is acknowledged and ignored', () => {
    const deauth = event({
      object_type: 'athlete',
      object_id: '#9007199254740995',
      aspect_type: 'update',
      updates: { authorized: 'false' },
    });
    expect(stravaWebhook.parse(post(deauth))).toEqual({
      ok: true,
      notifications: [{ kind: 'deauthorize', providerUserId: '9007199254740995' }],
    });
    const other = event({ object_type: 'athlete', aspect_type: 'update', updates: { name: 'x' } });
    expect(stravaWebhook.parse(post(other))).toMatchObject({ ok: true, notifications: [{ kind: 'ignore' }] });
    expect(stravaWebhook.parse(post(event({ aspect_type: 'delete' })))).toMatchObject({
      ok: true,
      notifications: [{ kind: 'ignore', reason: 'Strava activity 9007199254740993 was deleted' }],
    });
  });

  it('malformed bodies are errors with a reason, not crashes', () => {
    expect(stravaWebhook.parse(post('{"object_type":'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not JSON'),
    });
    expect(stravaWebhook.parse(post('[]'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('documented shape'),
    });
    expect(stravaWebhook.parse(post(event({ object_type: 'club' })))).toMatchObject({
      ok: false,
      error: expect.stringContaining('object_type'),
    });
  });

  it('a re-sent event has the same dedupe key; another edit in the same second does not', () => {
    const key = stravaWebhook.dedupeKey as NonNullable<typeof stravaWebhook.dedupeKey>;
    const a = key(post(event({ aspect_type: 'update', updates: { title: 'A' } })));
    expect(key(post(event({ aspect_type: 'update', updates: { title: 'A' } })))).toBe(a);
    expect(a.startsWith('120475:activity:9007199254740993:update:1764600000:')).toBe(true);
    expect(key(post(event({ aspect_type: 'update', updates: { title: 'B' } })))).not.toBe(a);
    expect(key(post('garbage'))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
