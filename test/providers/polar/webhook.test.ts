import { describe, expect, it } from 'vitest';
import { ranges } from '../../../src/providers/polar/pull.ts';
import { polarWebhook } from '../../../src/providers/polar/webhook.ts';
import type { InboundRequest } from '../../../src/providers/types.ts';

const post = (body: unknown, headers: Record<string, string> = {}): InboundRequest => ({
  method: 'POST',
  headers,
  query: {},
  body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('Polar webhook adapter', () => {
  it('answers the unsigned creation PING with 200, and nothing else as a handshake', () => {
    expect(polarWebhook.handshake?.(post({ event: 'PING', timestamp: '2026-12-02T10:00:00Z' }), [])).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(polarWebhook.handshake?.(post({ event: 'EXERCISE', user_id: 1 }), [])).toBeUndefined();
    expect(polarWebhook.handshake?.(post('not json'), [])).toBeUndefined();
  });

  it('each synced event names what to pull; user ids are strings', () => {
    const parse = (body: unknown) => {
      const r = polarWebhook.parse(post(body));
      if (!r.ok) throw new Error(r.error);
      return r.notifications;
    };
    expect(
      parse({
        event: 'EXERCISE',
        user_id: 475,
        entity_id: 'aQlC83',
        timestamp: 't',
        url: 'https://www.polaraccesslink.com/v3/exercises/aQlC83',
      }),
    ).toEqual([
      {
        kind: 'pull',
        providerUserId: '475',
        target: {
          resource: 'exercises',
          objectId: 'aQlC83',
          url: 'https://www.polaraccesslink.com/v3/exercises/aQlC83',
        },
      },
    ]);
    const [sleep] = parse({ event: 'SLEEP', user_id: 475, date: '2026-12-01', timestamp: 't' });
    expect(sleep).toEqual({
      kind: 'pull',
      providerUserId: '475',
      target: {
        resource: 'sleep',
        fromMs: Date.parse('2026-12-01T00:00:00Z'),
        toMs: Date.parse('2026-12-02T00:00:00Z'),
        details: { date: '2026-12-01' },
      },
    });
    expect(parse({ event: 'CONTINUOUS_HEART_RATE', user_id: '9', date: '2026-12-01' })[0]).toMatchObject({
      target: { resource: 'continuous_heart_rate' },
    });
    expect(parse({ event: 'ACTIVITY_SUMMARY', user_id: 9, date: '2026-12-01' })[0]).toMatchObject({
      target: { resource: 'activities' },
    });
    expect(parse({ event: 'PHYSICAL_INFORMATION', user_id: 9 })[0]).toMatchObject({
      target: { resource: 'physical_info' },
    });
    expect(
      parse({ event: 'SLEEP_WISE_ALERTNESS', user_id: 9, from: '2026-12-01', to: '2026-12-02' })[0],
    ).toMatchObject({ kind: 'ignore' });
  });

  it('malformed notifications are errors (stored, answered 400 by the platform)', () => {
    expect(polarWebhook.parse(post('{"event":'))).toMatchObject({ ok: false });
    expect(polarWebhook.parse(post({ event: 'EXERCISE', user_id: 1 }))).toEqual({
      ok: false,
      error: 'Polar EXERCISE notification has no entity_id',
    });
    expect(polarWebhook.parse(post({ event: 'SLEEP', user_id: 1, date: '1 Dec' }))).toMatchObject({
      ok: false,
    });
    expect(polarWebhook.parse(post({ event: 'SLEEP', date: '2026-12-01' }))).toEqual({
      ok: false,
      error: 'Polar SLEEP notification has no user_id',
    });
  });

  it('a redelivery dedupes to the same key whatever its whitespace; a later notification does not', () => {
    const a = { event: 'SLEEP', user_id: 475, date: '2026-12-01', timestamp: '2026-12-02T10:00:00Z' };
    const key = polarWebhook.dedupeKey?.(post(a));
    expect(polarWebhook.dedupeKey?.(post(JSON.stringify(a, null, 2)))).toBe(key);
    expect(polarWebhook.dedupeKey?.(post({ ...a, timestamp: '2026-12-02T11:00:00Z' }))).not.toBe(key);
  });
});

describe('Polar date ranges', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-12-02T12:00:00Z');

  it('a window becomes inclusive ranges of at most 28 days', () => {
    const window = {
      fromMs: Date.parse('2026-09-01T00:00:00Z'),
      toMs: Date.parse('2026-11-01T00:00:00Z'),
      label: 'w',
    };
    const out = ranges(window, now, 364);
    expect(out).toEqual([
      ['2026-09-01', '2026-09-28'],
      ['2026-09-29', '2026-10-26'],
      ['2026-10-27', '2026-10-31'],
    ]);
    for (const [from, to] of out) expect((Date.parse(to) - Date.parse(from)) / DAY).toBeLessThanOrEqual(27);
  });

  it('nothing older than the reach, nothing after today', () => {
    expect(ranges({ fromMs: now - 400 * DAY, toMs: now - 370 * DAY, label: 'old' }, now, 364)).toEqual([]);
    expect(ranges({ fromMs: now - 366 * DAY, toMs: now + 5 * DAY, label: 'edge' }, now, 364)[0]?.[0]).toBe(
      '2025-12-03',
    );
    expect(ranges({ fromMs: now - 3 * DAY, toMs: now + 5 * DAY, label: 'new' }, now, 364)).toEqual([
      ['2026-11-29', '2026-12-02'],
    ]);
  });
});
