import { describe, expect, it } from 'vitest';
import { ouraWebhook } from '../../../src/providers/oura/webhook.ts';
import type { InboundRequest } from '../../../src/providers/types.ts';

/** Oura's webhook adapter: the verification handshake, what a body names, and delivery identity. */

const request = (over: Partial<InboundRequest>): InboundRequest => ({
  method: 'POST',
  headers: {},
  query: {},
  body: new Uint8Array(),
  ...over,
});
const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const event = {
  event_type: 'update',
  data_type: 'sleep',
  object_id: 'doc-9',
  event_time: '2026-03-02T08:00:00+00:00',
  user_id: 'oura-u-1',
};

describe('Oura webhook handshake', () => {
  const handshake = ouraWebhook.handshake!;
  const get = (query: Record<string, string>) => request({ method: 'GET', query });

  it('echoes the challenge as JSON when the verification token is one of the apps’', () => {
    expect(handshake(get({ verification_token: 'vt-2', challenge: 'c-123' }), ['vt-1', 'vt-2'])).toEqual({
      status: 200,
      body: { challenge: 'c-123' },
    });
  });

  it('refuses a wrong or missing token (401) and a missing challenge (400)', () => {
    expect(handshake(get({ verification_token: 'nope', challenge: 'c' }), ['vt-1'])).toMatchObject({
      status: 401,
      body: { code: 'invalid_verification_token' },
    });
    expect(handshake(get({ challenge: 'c' }), ['vt-1'])?.status).toBe(401);
    expect(handshake(get({ verification_token: 'vt-1' }), ['vt-1'])?.status).toBe(400);
    expect(handshake(get({ verification_token: 'vt-1', challenge: 'c' }), [])?.status).toBe(401);
  });

  it('is not a handshake when it is a POST or a GET without its parameters', () => {
    expect(handshake(request({ query: { challenge: 'c' } }), ['vt'])).toBeUndefined();
    expect(handshake(get({}), ['vt'])).toBeUndefined();
  });
});

describe('Oura webhook bodies', () => {
  it('create/update → a pull of the document; vo2_max by its lower-case data type', () => {
    expect(ouraWebhook.parse(request({ body: body(event) }))).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: 'oura-u-1',
          target: { resource: 'sleep', objectId: 'doc-9', details: { event_type: 'update' } },
        },
      ],
    });
    const vo2 = ouraWebhook.parse(request({ body: body({ ...event, data_type: 'vo2_max' }) }));
    expect(vo2.ok && vo2.notifications[0]).toMatchObject({ kind: 'pull', target: { resource: 'vo2_max' } });
  });

  it('a delete, or a data type WearLink does not sync, is acknowledged and ignored', () => {
    for (const b of [
      { ...event, event_type: 'delete' },
      { ...event, data_type: 'enhanced_tag' },
    ]) {
      const parsed = ouraWebhook.parse(request({ body: body(b) }));
      expect(parsed.ok && parsed.notifications[0]?.kind).toBe('ignore');
    }
  });

  it('malformed bodies are an error naming what is wrong', () => {
    expect(ouraWebhook.parse(request({ body: new TextEncoder().encode('{not json') }))).toEqual({
      ok: false,
      error: expect.stringMatching(/^not an Oura notification/),
    });
    const missing = ouraWebhook.parse(request({ body: body({ ...event, user_id: undefined }) }));
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('user_id') });
  });

  it('identifies a delivery by its event, not its bytes (a retry re-serialised is the same delivery)', () => {
    const a = ouraWebhook.dedupeKey!(request({ body: body(event) }));
    const b = ouraWebhook.dedupeKey!(
      request({ body: new TextEncoder().encode(JSON.stringify(event, null, 2)) }),
    );
    const later = ouraWebhook.dedupeKey!(
      request({ body: body({ ...event, event_time: '2026-03-02T09:00:00Z' }) }),
    );
    expect(a).toBe(b);
    expect(later).not.toBe(a);
  });
});
