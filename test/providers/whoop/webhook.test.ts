import { describe, expect, it } from 'vitest';
import { whoopWebhook } from '../../../src/providers/whoop/webhook.ts';

const request = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query: {},
  body: new TextEncoder().encode(body),
});
const parse = (body: unknown) =>
  whoopWebhook.parse(request(typeof body === 'string' ? body : JSON.stringify(body)));
const SLEEP = 'ecfc6a15-4661-442f-a9a4-f160dd7afae8';

describe('WHOOP webhook adapter', () => {
  it('turns updates into a pull of the named object, for the WHOOP user', () => {
    for (const resource of ['sleep', 'workout'] as const) {
      expect(parse({ user_id: 10129, id: SLEEP, type: `${resource}.updated`, trace_id: 't' })).toEqual({
        ok: true,
        notifications: [{ kind: 'pull', providerUserId: '10129', target: { resource, objectId: SLEEP } }],
      });
    }
  });

  it('takes a recovery id as a cycle id (int64) or a sleep UUID', () => {
    expect(parse({ user_id: 1, id: 93845, type: 'recovery.updated', trace_id: 't' })).toMatchObject({
      notifications: [{ kind: 'pull', target: { resource: 'recovery', objectId: '93845' } }],
    });
    expect(parse({ user_id: 1, id: SLEEP, type: 'recovery.updated', trace_id: 't' })).toMatchObject({
      notifications: [{ kind: 'pull', target: { resource: 'recovery', objectId: SLEEP } }],
    });
  });

  it('acknowledges deletions and unknown event types without pulling', () => {
    expect(parse({ user_id: 1, id: SLEEP, type: 'sleep.deleted', trace_id: 't' })).toMatchObject({
      ok: true,
      notifications: [{ kind: 'ignore' }],
    });
    expect(parse({ user_id: 1, id: 5, type: 'cycle.updated', trace_id: 't' })).toMatchObject({
      ok: true,
      notifications: [{ kind: 'ignore', reason: expect.stringContaining('cycle.updated') }],
    });
  });

  it('refuses malformed bodies with a reason', () => {
    expect(parse('{not json')).toEqual({ ok: false, error: 'WHOOP webhook body is not JSON' });
    expect(parse([1])).toMatchObject({ ok: false, error: expect.stringContaining('not a JSON object') });
    expect(parse({ id: SLEEP, type: 'sleep.updated' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('user_id'),
    });
    expect(parse({ user_id: 1, id: SLEEP })).toMatchObject({
      ok: false,
      error: expect.stringContaining('event type'),
    });
    expect(parse({ user_id: 1, type: 'sleep.updated' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('object id'),
    });
  });

  it('dedupes a re-sent delivery by its trace id, and anything else by its bytes', () => {
    const key = whoopWebhook.dedupeKey as NonNullable<typeof whoopWebhook.dedupeKey>;
    const body = { user_id: 1, id: SLEEP, type: 'sleep.updated', trace_id: 'trace-1' };
    expect(key(request(JSON.stringify(body)))).toBe(key(request(JSON.stringify(body, null, 2))));
    expect(key(request(JSON.stringify({ ...body, trace_id: 'trace-2' })))).not.toBe(
      key(request(JSON.stringify(body))),
    );
    expect(key(request('{not json'))).toMatch(/^[0-9a-f]{64}$/);
  });
});
