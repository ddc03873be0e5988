import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from '../../src/http/input-guard.ts';
import { forgeJwt } from '../support/forged-jwt.ts';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';

/**
 * Issue 15, findings 4, 5 and 12: input that used to reach PostgreSQL (or a string comparison) and end
 * in a 500 or a wrong answer is refused at the edge with a 4xx `{detail}` naming where.
 */
describeEachDatabase('edge guards', (ctx) => {
  const heartRate = (startDate: string, extra: Record<string, unknown> = {}) => ({
    type: 'HKQuantityTypeIdentifierHeartRate',
    startDate,
    value: 72,
    unit: 'count/min',
    source: { deviceName: 'Apple Watch', deviceType: 'watch' },
    ...extra,
  });

  it('refuses NUL and lone surrogates in the path, the query and JSON and form bodies, naming where', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const user = await api.createUser(key);

    const inPath = await api.request('GET', `/api/v1/webhooks/endpoints/ab%00cd`, { auth: { key } });
    expect(inPath.status).toBe(422);
    expect(inPath.body.detail[0]).toMatchObject({ loc: ['path'], msg: expect.stringMatching(/U\+0000/) });

    const inQuery = await api.request('GET', '/api/v1/users?search=a%00b', { auth: { key } });
    expect(inQuery.status).toBe(422);
    expect(inQuery.body.detail[0]).toMatchObject({ loc: ['query', 'search'] });

    const inBody = await api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key },
      json: { first_name: 'Jane\u0000Doe' },
    });
    expect(inBody.status).toBe(422);
    expect(inBody.body.detail[0]).toMatchObject({ loc: ['body', 'first_name'] });

    const sdk = await api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key },
      json: {
        provider: 'apple',
        data: { records: [heartRate('2026-04-23T06:30:00Z', { metadata: { 'k\u0000': 1 } })] },
      },
    });
    expect(sdk.status).toBe(422);
    expect(sdk.body.detail[0]).toMatchObject({ loc: ['body', 'data', 'records', 0, 'metadata'] });

    // A lone surrogate only arrives as a JSON escape; a paired one (an emoji) is fine.
    const lone = await api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key },
      body: '{"first_name": "Jane \\ud83d"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(lone.status).toBe(422);
    expect(lone.body.detail[0]).toMatchObject({ loc: ['body', 'first_name'], msg: /surrogate/ });
    const paired = await api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key },
      body: '{"first_name": "Jane \\ud83d\\ude00"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(paired.status).toBe(200);
    expect(paired.body.first_name).toBe('Jane 😀');

    const login = await api.request('POST', '/api/v1/auth/login', {
      body: new URLSearchParams({ username: 'a\u0000@example.com', password: 'x' }),
    });
    expect(login.status).toBe(422);
    expect(login.body.detail[0]).toMatchObject({ loc: ['body', 'username'] });
  });

  it('refuses JSON nested deeper than the limit before anything walks it', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const user = await api.createUser(key);
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const res = await api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      auth: { key },
      body: `{"device_id":"d","source":"s","samples":[{"timestamp":"2026-04-23T06:30:00Z","metrics":{"hr":60},"meta":${deep(5000)}}]}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ type: 'too_deep', msg: /deeper than 64/ });
    // Without a credential a bulk body is not read at all: 401, as on every other route.
    const anonymous = await api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      body: deep(5000),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    // Brackets inside strings are not nesting.
    const text = await api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key },
      json: { first_name: '[{'.repeat(40) },
    });
    expect(text.status).toBe(200);
  });

  it('refuses dates PostgreSQL cannot hold on every read route', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const u = (await api.createUser(key)).id;
    const paths = [
      `/api/v1/users/${u}/timeseries?start_time=0000-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z`,
      `/api/v1/users/${u}/timeseries?start_time=9999-12-31T00:00:00Z&end_time=9999-12-31T23:59:59-14:00`,
      `/api/v1/users/${u}/wearmetrics?start_time=0000-06-01T00:00:00Z&end_time=2026-01-01T00:00:00Z`,
      `/api/v1/users/${u}/events/workouts?start_date=9999-12-31&end_date=9999-12-31`,
      `/api/v1/users/${u}/events/sleep?start_date=0000-01-01&end_date=0000-01-02`,
      `/api/v1/users/${u}/health-scores?start_date=0000-01-01`,
      `/api/v1/users/${u}/summaries/activity?start_date=9999-12-31&end_date=9999-12-31`,
      `/api/v1/users/${u}/summaries/sleep?start_date=0000-01-01&end_date=0000-01-02`,
      `/api/v1/users/${u}/summaries/body?as_of=0000-01-01T00:00:00Z`,
      `/api/v1/users/${u}/energy_balance?date_from=9999-12-31&date_to=9999-12-31`,
    ];
    for (const path of paths) {
      const res = await api.request('GET', path, { auth: { key } });
      expect(res.status, path).toBe(422);
      expect(JSON.stringify(res.body.detail), path).toMatch(/between 0001-01-02 and 9999-12-30/);
    }
    const edge = await api.request(
      'GET',
      `/api/v1/users/${u}/events/workouts?start_date=9999-12-30&end_date=9999-12-30`,
      {
        auth: { key },
      },
    );
    expect(edge.status).toBe(200);
  });

  it('refuses tampered cursors: out-of-range numbers and unknown fields', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const u = (await api.createUser(key)).id;
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const range = 'start_time=2026-01-01T00:00:00Z&end_time=2026-01-02T00:00:00Z';
    const q = '2026-01-01T00:00:00Z|2026-01-02T00:00:00Z|1|raw';
    const cases = [
      `/api/v1/users/${u}/timeseries?${range}&types=heart_rate&cursor=${cursor({ f: 1e300, n: 1, q })}`,
      `/api/v1/users/${u}/timeseries?${range}&types=heart_rate&cursor=${cursor({ f: 0, k: [0, 1e9, 0, 0], n: 1, q })}`,
      `/api/v1/users/${u}/timeseries?${range}&types=heart_rate&cursor=${cursor({ f: 0, n: 1e12, q })}`,
      `/api/v1/users/${u}/wearmetrics?${range}&cursor=${cursor({ t: '2026-01-01T00:00:00Z', s: 2 ** 40, q: 'x' })}`,
      `/api/v1/users/${u}/events/workouts?start_date=2026-01-01&end_date=2026-01-02&cursor=${cursor({ t: '0000-01-01T00:00:00Z', i: u, q: 'x' })}`,
      `/api/v1/users?cursor=${cursor({ o: 1e300 })}`,
      `/api/v1/users?cursor=${cursor({ o: 0, extra: 1 })}`,
    ];
    for (const path of cases) {
      const res = await api.request('GET', path, { auth: { key } });
      expect(res.status, path).toBe(422);
      expect(res.body.detail[0], path).toMatchObject({ loc: ['query', 'cursor'] });
    }
  });

  it('refuses a correctly signed JWT whose subject is not a UUID with 401', async () => {
    const { api, platform } = ctx();
    const forge = (sub: string, audience: string, extra: Record<string, unknown> = {}) =>
      forgeJwt(platform.deps.config.jwtSecret, sub, audience, extra);
    const dev = await api.registerDeveloper();
    for (const token of [
      await forge('not-a-uuid', 'wearlink:dashboard'),
      await forge(dev.id.toUpperCase(), 'wearlink:dashboard'),
      await forge('x\u0000', 'wearlink:dashboard'),
      await forge(dev.id, 'wearlink:sdk', { dev: 'nope' }),
    ]) {
      const res = await api.request('GET', '/api/v1/auth/me', { auth: { bearer: token } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Invalid token' });
    }
  });

  it('treats an uppercase user id as the same user everywhere (SDK token, live events, query)', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const user = await api.createUser(key);
    const upper = user.id.toUpperCase();
    const token = (await api.request('POST', `/api/v1/users/${upper}/token`, { auth: { key } })).body;
    // The user's own SDK token on an uppercase path: was 403.
    const sent = await api.request('POST', `/api/v1/sdk/users/${upper}/sync`, {
      auth: { bearer: token.access_token },
      json: { provider: 'apple', data: { records: [heartRate('2026-04-23T06:30:00Z')] } },
    });
    expect(sent.status).toBe(202);
    expect(sent.body.user_id).toBe(user.id);
    await waitForRun(api, { key }, upper, sent.body.run_id);
    // The events of that run, read through an uppercase path: was 0 events.
    const lower = await api.request('GET', `/api/v1/users/${user.id}/sync/recent`, { auth: { key } });
    const viaUpper = await api.request('GET', `/api/v1/users/${upper}/sync/recent`, { auth: { key } });
    expect(lower.body.length).toBeGreaterThan(0);
    expect(viaUpper.body).toEqual(lower.body);
    // Percent-encoded, it is the same user too.
    const encoded = `%${user.id.charCodeAt(0).toString(16)}${user.id.slice(1).toUpperCase()}`;
    const odd = await api.request('GET', `/api/v1/users/${encoded}`, { auth: { key } });
    expect(odd.body.id).toBe(user.id);
    // A user id in the query is canonical too.
    await api.request('POST', `/api/v1/users/${user.id}/connections`, {
      auth: { key },
      json: { provider: 'sandbox' },
    });
    const schedules = await api.request('GET', `/api/v1/sync/schedules?user_id=${upper}`, { auth: { key } });
    expect(schedules.status).toBe(200);
    expect(schedules.body.schedules.length).toBe(1);
    for (const s of schedules.body.schedules) expect(s.user_id).toBe(user.id);
  });

  it("answers a request Node's HTTP parser refuses with a {detail} body", async () => {
    const { server } = ctx();
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(request));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
        });
        socket.on('end', () => resolve(text));
        // A reset after the answer (the server closes on a refused request) keeps what was read.
        socket.on('error', (error) => (text ? resolve(text) : reject(error)));
      });
    for (const request of [
      'GET /he\u0000alth HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
      'NOT A REQUEST\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    ]) {
      const answer = await raw(request);
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer).toMatch(/Content-Type: application\/json/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
        detail: 'Malformed HTTP request',
      });
    }
    const tooLarge = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(tooLarge).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(tooLarge).toMatch(/\{"detail":"Request headers are too large"\}$/);
    // The server still answers.
    expect((await ctx().api.request('GET', '/health')).status).toBe(200);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts nesting outside strings only, whatever the escapes', () => {
    const nest = (n: number, inner = '1') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
    expect(jsonDepthExceeds(nest(3), 3)).toBe(false);
    expect(jsonDepthExceeds(nest(4), 3)).toBe(true);
    expect(jsonDepthExceeds(nest(2, JSON.stringify('[[[[[[')), 3)).toBe(false);
    // An escaped quote does not end the string; an escaped backslash before a quote does.
    expect(jsonDepthExceeds(nest(1, JSON.stringify('a"[[[[[[')), 3)).toBe(false);
    expect(jsonDepthExceeds(`[${JSON.stringify('a\\')}, ${nest(3)}]`, 3)).toBe(true);
    expect(jsonDepthExceeds(`[${JSON.stringify('a\\\\"[[[[')}]`, 3)).toBe(false);
    // Unterminated or unbalanced text is for the JSON parser to refuse.
    expect(jsonDepthExceeds('["abc', 3)).toBe(false);
    expect(jsonDepthExceeds(']]]]', 3)).toBe(false);
  });
});
