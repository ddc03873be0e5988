import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
