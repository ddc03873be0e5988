import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/http/rate-limit.ts';
import { clientAddress } from '../../src/http/rate-limit-middleware.ts';
import { type ApiResponse, busLegs, startTestServer, type TestServer } from '../support/harness.ts';

for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(`rate limits [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        bus: leg,
        env: { RATE_LIMIT_REGISTER_PER_MINUTE: '5', RATE_LIMIT_LOGIN_PER_MINUTE: '10' },
      });
    });
    afterAll(() => server?.close());

    it('allows 5 registrations a minute per IP, then 429 with Retry-After', async () => {
      const statuses: number[] = [];
      let last: ApiResponse | undefined;
      for (let i = 0; i < 6; i++) {
        last = await server.api.request('POST', '/api/v1/auth/register', {
          json: { email: `rl-${leg}-${i}-${Date.now()}@example.com`, password: 'long-password', name: 'R' },
        });
        statuses.push(last.status);
        expect(last.headers.get('x-ratelimit-limit')).toBe('5');
        expect(last.headers.get('x-ratelimit-remaining')).toBe(String(Math.max(0, 4 - i)));
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
      expect(last?.body.detail).toMatch(/Too many requests/);
      const retryAfter = Number(last?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('allows 10 logins a minute per IP, counted separately from registrations', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const form = new FormData();
        form.set('username', 'nobody@example.com');
        form.set('password', 'wrong-password');
        statuses.push((await server.api.request('POST', '/api/v1/auth/login', { body: form })).status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
      // Other routes are unaffected.
      expect((await server.api.request('GET', '/health')).status).toBe(200);
    });
  });
}

for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(
    `rate limits per caller [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      const LIMIT = 30;
      beforeAll(async () => {
        server = await startTestServer({
          bus: leg,
          worker: false,
          env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'true' },
        });
      });
      afterAll(() => server?.close());

      /** A client address of its own per test (the socket is 127.0.0.1, the proxy in front is trusted). */
      const from = (ip: string, extra: Record<string, string> = {}) => ({
        'X-Forwarded-For': ip,
        ...extra,
      });
      const randomKey = () => `sk-${randomBytes(32).toString('base64url')}`;

      it('counts unknown API keys against the address: 60 random keys, the last 30 limited', async () => {
        const { api } = server;
        const statuses: number[] = [];
        for (let i = 0; i < 2 * LIMIT; i++) {
          const res = await api.request('GET', '/api/v1/users', {
            headers: from('198.51.100.10', { 'X-WearLink-API-Key': randomKey() }),
          });
          statuses.push(res.status);
        }
        expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
        expect(statuses.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
        // Malformed keys, bad bearer tokens and no credential at all share the same bucket.
        for (const headers of [
          { 'X-API-Key': 'not-a-key' },
          { Authorization: 'Bearer not.a.jwt' },
          { Authorization: 'Basic abc' },
          {},
        ]) {
          const res = await api.request('GET', '/api/v1/users', { headers: from('198.51.100.10', headers) });
          expect(res.status, JSON.stringify(headers)).toBe(429);
          expect(res.body.detail).toMatch(/Too many requests/);
        }
        // Only the keys' own address was limited.
        const elsewhere = await api.request('GET', '/api/v1/users', {
          headers: from('198.51.100.11', { 'X-WearLink-API-Key': randomKey() }),
        });
        expect(elsewhere.status).toBe(401);
      });

      it('gives a verified credential its own bucket, whatever its address', async () => {
        const { api } = server;
        const dev = await api.registerDeveloper();
        // The address is exhausted by invented keys...
        for (let i = 0; i < LIMIT + 1; i++) {
          await api.request('GET', '/api/v1/users', {
            headers: from('198.51.100.20', { 'X-WearLink-API-Key': randomKey() }),
          });
        }
        // ...and the real key from that same address still has all of its own.
        const statuses: number[] = [];
        for (let i = 0; i < LIMIT + 1; i++) {
          const res = await api.request('GET', '/api/v1/users', {
            headers: from('198.51.100.20', { 'X-WearLink-API-Key': dev.key }),
          });
          statuses.push(res.status);
          if (i === 0) expect(res.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
        }
        expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
        expect(statuses[LIMIT]).toBe(429);
        // A second key of the same developer is a second bucket; moving address does not reset the first.
        const second = await api.request('POST', '/api/v1/developer/api-keys', {
          headers: from('198.51.100.21'),
          auth: { bearer: await login(dev.email, dev.password) },
          json: { name: 'second' },
        });
        expect(second.status, second.text).toBe(201);
        const other = await api.request('GET', '/api/v1/users', { auth: { key: second.body.key } });
        expect(other.status).toBe(200);
        const moved = await api.request('GET', '/api/v1/users', {
          headers: from('198.51.100.22', { 'X-WearLink-API-Key': dev.key }),
        });
        expect(moved.status).toBe(429);
      });

      it('takes the right-most X-Forwarded-For entry: a forged left part changes nothing', async () => {
        const { api } = server;
        const statuses: number[] = [];
        for (let i = 0; i < LIMIT + 5; i++) {
          const forged = `10.${i}.0.1, 203.0.113.${i}`;
          const res = await api.request('GET', '/api/v1/nothing-here', {
            headers: { 'X-Forwarded-For': `${forged}, 192.0.2.50` },
          });
          statuses.push(res.status);
        }
        expect(statuses.slice(0, LIMIT).every((s) => s === 404)).toBe(true);
        expect(statuses.slice(LIMIT)).toEqual(Array(5).fill(429));
      });

      async function login(email: string, password: string): Promise<string> {
        const res = await server.api.request('POST', '/api/v1/auth/login', {
          body: new URLSearchParams({ username: email, password }),
          headers: from('198.51.100.99'),
        });
        return res.body.access_token;
      }
    },
  );
}

describe('client address', () => {
  it('is the socket peer unless the proxy is trusted, then the entry TRUST_PROXY_HOPS from the right', () => {
    expect(clientAddress('127.0.0.1', '1.2.3.4', false)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 1.2.3.4', true)).toBe('1.2.3.4');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2', true, 2)).toBe('1.2.3.4');
    // A chain shorter than the hops configured: its left-most entry, written by a trusted proxy.
    expect(clientAddress('127.0.0.1', '1.2.3.4', true, 3)).toBe('1.2.3.4');
    // Garbage where the client's address should be: the socket peer.
    expect(clientAddress('127.0.0.1', '1.2.3.4, not-an-ip', true)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', true)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:10.1.2.3', undefined, true)).toBe('10.1.2.3');
    expect(clientAddress(undefined, undefined, false)).toBe('unknown');
  });

  it('counts an IPv6 client per /64', () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1', undefined, false)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:db8:1:2:bbbb::9', undefined, false)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('127.0.0.1', '2001:db8:1:3::1', true)).toBe('2001:db8:1:3::/64');
  });
});

describe('memory rate limiter', () => {
  it('holds at most its cap of windows, dropping ended ones first', async () => {
    const limiter = new MemoryRateLimiter(60_000, 100);
    try {
      for (let i = 0; i < 50; i++) await limiter.hit(`short:${i}`, 1);
      await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 90; i++) await limiter.hit(`long:${i}`, 60_000);
      // The 50 ended windows made room: every live one is still counted.
      expect(limiter.size).toBe(90);
      expect((await limiter.hit('long:0', 60_000)).count).toBe(2);
      for (let i = 0; i < 10_000; i++) await limiter.hit(`flood:${i}`, 60_000);
      expect(limiter.size).toBe(100);
      // The newest windows are the ones kept.
      expect((await limiter.hit('flood:9999', 60_000)).count).toBe(2);
    } finally {
      await limiter.close();
    }
  });
});
