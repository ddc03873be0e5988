import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundRequest, ProviderAppCredentials } from '../../../src/providers/types.ts';
import { type HmacVerification, verifySignature } from '../../../src/providers/webhooks/verify.ts';

const app = (developerId: string | null, secret: string): ProviderAppCredentials => ({
  developerId,
  clientId: `cid-${developerId ?? 'instance'}`,
  clientSecret: secret,
  webhookSecret: undefined,
  scopes: [],
});

const request = (body: string, headers: Record<string, string>): InboundRequest => ({
  method: 'POST',
  headers,
  query: {},
  body: new TextEncoder().encode(body),
});

// WHOOP's scheme: base64(HMAC(client_secret, timestamp_ms + body)), at most 5 minutes old.
const whoop: HmacVerification = {
  scheme: 'hmac_sha256',
  encoding: 'base64',
  signature_header: 'X-WHOOP-Signature',
  timestamp_header: 'X-WHOOP-Signature-Timestamp',
  signed: 'timestamp_body',
  key: 'client_secret',
  max_age_seconds: 300,
  timestamp_unit: 'ms',
};
// Oura's: upper-case hex of HMAC(client_secret, timestamp + body), seconds.
const oura: HmacVerification = {
  ...whoop,
  encoding: 'hex_upper',
  signature_header: 'x-oura-signature',
  timestamp_header: 'x-oura-timestamp',
  timestamp_unit: 's',
};
// Polar's: hex of HMAC(webhook secret, body), no timestamp.
const polar: HmacVerification = {
  scheme: 'hmac_sha256',
  encoding: 'hex',
  signature_header: 'Polar-Webhook-Signature',
  signed: 'body',
  key: 'webhook_secret',
  timestamp_unit: 's',
};

const now = Date.parse('2026-12-02T12:00:00Z');
const body = '{"user_id":10129,"id":"ecfc6a15-4661-442f-a9a4-f160dd7afae8","type":"sleep.updated"}';

describe('verifySignature', () => {
  const a = app('dev-a', 'secret-of-a');
  const b = app('dev-b', 'secret-of-b');
  const instance = app(null, 'instance-secret');

  it('finds the app whose key signed the request (WHOOP: base64 over ms timestamp + body)', () => {
    const ts = String(now - 10_000);
    const signature = createHmac('sha256', 'secret-of-b')
      .update(ts + body)
      .digest('base64');
    const outcome = verifySignature(
      whoop,
      request(body, { 'x-whoop-signature': signature, 'x-whoop-signature-timestamp': ts }),
      [a, b, instance].map((x) => ({ app: x, keys: [x.clientSecret as string] })),
      now,
    );
    expect(outcome).toEqual({ ok: true, app: b });
  });

  it('accepts Oura upper-case hex (and the same digest in lower case), seconds timestamp', () => {
    const ts = String(Math.floor(now / 1000) - 30);
    const hex = createHmac('sha256', 'instance-secret')
      .update(ts + body)
      .digest('hex');
    for (const signature of [hex.toUpperCase(), hex]) {
      const outcome = verifySignature(
        oura,
        request(body, { 'x-oura-signature': signature, 'x-oura-timestamp': ts }),
        [
          { app: a, keys: ['secret-of-a'] },
          { app: instance, keys: ['instance-secret'] },
        ],
        now,
      );
      expect(outcome).toMatchObject({ ok: true, app: { developerId: null } });
    }
  });

  it('Polar: hex over the body alone, with a secret the subscription handed out', () => {
    const signature = createHmac('sha256', 'handed-out').update(body).digest('hex');
    const outcome = verifySignature(
      polar,
      request(body, { 'polar-webhook-signature': signature }),
      [{ app: a, keys: ['configured-but-stale', 'handed-out'] }],
      now,
    );
    expect(outcome).toEqual({ ok: true, app: a });
  });

  it('refuses a missing, malformed or wrong signature, and a body changed after signing', () => {
    const ts = String(now);
    const candidates = [{ app: a, keys: ['secret-of-a'] }];
    const good = createHmac('sha256', 'secret-of-a')
      .update(ts + body)
      .digest('base64');
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ 'x-whoop-signature-timestamp': ts }, body, /Missing X-WHOOP-Signature header/],
      [{ 'x-whoop-signature': good }, body, /Missing X-WHOOP-Signature-Timestamp/],
      [{ 'x-whoop-signature': 'not base64!', 'x-whoop-signature-timestamp': ts }, body, /is not a base64/],
      [
        {
          'x-whoop-signature': createHmac('sha256', 'other')
            .update(ts + body)
            .digest('base64'),
          'x-whoop-signature-timestamp': ts,
        },
        body,
        /does not match/,
      ],
      [
        { 'x-whoop-signature': good, 'x-whoop-signature-timestamp': ts },
        body.replace('10129', '10130'),
        /does not match/,
      ],
      // The timestamp is signed too: moving it breaks the signature.
      [{ 'x-whoop-signature': good, 'x-whoop-signature-timestamp': String(now - 1) }, body, /does not match/],
    ];
    for (const [headers, sent, detail] of cases) {
      const outcome = verifySignature(whoop, request(sent, headers), candidates, now);
      expect(outcome).toMatchObject({
        ok: false,
        code: 'invalid_signature',
        detail: expect.stringMatching(detail),
      });
    }
  });

  it('refuses a replay older than max_age_seconds, and a timestamp far in the future', () => {
    for (const [offsetMs, detail] of [
      [-301_000, /301 s old \(more than 300 s\)/],
      [+400_000, /in the future/],
    ] as const) {
      const ts = String(now + offsetMs);
      const signature = createHmac('sha256', 'secret-of-a')
        .update(ts + body)
        .digest('base64');
      const outcome = verifySignature(
        whoop,
        request(body, { 'x-whoop-signature': signature, 'x-whoop-signature-timestamp': ts }),
        [{ app: a, keys: ['secret-of-a'] }],
        now,
      );
      expect(outcome).toMatchObject({
        ok: false,
        code: 'stale_timestamp',
        detail: expect.stringMatching(detail),
      });
    }
  });

  it('says so when no app has a key to verify with', () => {
    const outcome = verifySignature(
      polar,
      request(body, { 'polar-webhook-signature': 'ab'.repeat(32) }),
      [{ app: a, keys: [] }],
      now,
    );
    expect(outcome).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/No app of this vendor has a webhook secret/),
    });
  });
});
