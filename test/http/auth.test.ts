import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

const JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

async function craftToken(secret: string, claims: { sub: string; aud: string; exp: number }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('wearlink')
    .setAudience(claims.aud)
    .setSubject(claims.sub)
    .setIssuedAt(claims.exp - 3600)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

describeEachDatabase('developer auth and API keys', (ctx) => {
  it('logs in with multipart and urlencoded forms, and refuses a wrong password', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const urlencoded = new URLSearchParams({ username: dev.email.toUpperCase(), password: dev.password });
    const ok = await api.request('POST', '/api/v1/auth/login', { body: urlencoded });
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toBeTypeOf('string');

    const form = new FormData();
    form.set('username', dev.email);
    form.set('password', 'not-the-password');
    const wrong = await api.request('POST', '/api/v1/auth/login', { body: form });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: 'Incorrect email or password' });

    const unknown = new FormData();
    unknown.set('username', 'nobody@example.com');
    unknown.set('password', 'whatever-password');
    expect((await api.request('POST', '/api/v1/auth/login', { body: unknown })).status).toBe(401);
  });

  it('refuses a second account with the same email, case-insensitively', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const again = await api.request('POST', '/api/v1/auth/register', {
      json: { email: dev.email.toUpperCase(), password: 'another-password', name: 'Again' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: 'An account with this email already exists' });
  });

  it('refuses expired, forged, wrong-audience and malformed JWTs with 401', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const now = Math.floor(Date.now() / 1000);
    const expired = await craftToken(JWT_SECRET, { sub: dev.id, aud: 'wearlink:dashboard', exp: now - 10 });
    const forged = await craftToken('some-other-secret-of-sufficient-length!!', {
      sub: dev.id,
      aud: 'wearlink:dashboard',
      exp: now + 600,
    });
    const foreignAudience = await craftToken(JWT_SECRET, {
      sub: dev.id,
      aud: 'somebody-else',
      exp: now + 600,
    });
    const cases: [string, string | RegExp][] = [
      [expired, 'Token has expired'],
      [forged, 'Invalid token'],
      [foreignAudience, 'Invalid token'],
      ['not.a.jwt', 'Invalid token'],
    ];
    for (const [token, detail] of cases) {
      const res = await api.request('GET', '/api/v1/auth/me', { auth: { bearer: token } });
      expect(res.status, token).toBe(401);
      expect(res.body.detail).toMatch(detail);
    }
    const valid = await craftToken(JWT_SECRET, { sub: dev.id, aud: 'wearlink:dashboard', exp: now + 600 });
    expect((await api.request('GET', '/api/v1/auth/me', { auth: { bearer: valid } })).status).toBe(200);
    const noScheme = await api.request('GET', '/api/v1/auth/me', { headers: { Authorization: valid } });
    expect(noScheme.status).toBe(401);
    expect((await api.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('creates, lists (prefix only), rotates and deletes keys; old and deleted keys stop working', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const created = await api.request('POST', '/api/v1/developer/api-keys', {
      auth: { key: dev.key },
      json: { name: 'Production server' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Production server' });
    const second: string = created.body.key;
    expect(second.startsWith(created.body.prefix)).toBe(true);

    const list = await api.request('GET', '/api/v1/developer/api-keys', { auth: { key: second } });
    expect(list.status).toBe(200);
    expect(list.body.map((k: { name: string }) => k.name)).toEqual(['Default', 'Production server']);
    expect(JSON.stringify(list.body)).not.toContain(second);
    expect(JSON.stringify(list.body)).not.toContain(dev.key);
    expect(list.body[0].last_used_at).not.toBeNull(); // the default key was used to create the second

    const rotated = await api.request('POST', `/api/v1/developer/api-keys/${created.body.id}/rotate`, {
      auth: { key: dev.key },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.name).toBe('Production server');
    expect(rotated.body.key).not.toBe(second);
    expect((await api.request('GET', '/api/v1/users', { auth: { key: second } })).status).toBe(401);
    expect((await api.request('GET', '/api/v1/users', { auth: { key: rotated.body.key } })).status).toBe(200);

    const deleted = await api.request('DELETE', `/api/v1/developer/api-keys/${rotated.body.id}`, {
      auth: { key: dev.key },
    });
    expect(deleted.status).toBe(204);
    const revoked = await api.request('GET', '/api/v1/users', { auth: { key: rotated.body.key } });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ detail: 'Invalid or revoked API key' });
    const again = await api.request('DELETE', `/api/v1/developer/api-keys/${rotated.body.id}`, {
      auth: { key: dev.key },
    });
    expect(again.status).toBe(404);
  });

  it("cannot see or touch another developer's keys", async () => {
    const { api } = ctx();
    const a = await api.registerDeveloper('A');
    const b = await api.registerDeveloper('B');
    const aKeys = await api.request('GET', '/api/v1/developer/api-keys', { auth: { key: a.key } });
    const aKeyId: string = aKeys.body[0].id;
    for (const [method, path] of [
      ['POST', `/api/v1/developer/api-keys/${aKeyId}/rotate`],
      ['DELETE', `/api/v1/developer/api-keys/${aKeyId}`],
    ] as const) {
      expect((await api.request(method, path, { auth: { key: b.key } })).status).toBe(404);
    }
    expect((await api.request('GET', '/api/v1/users', { auth: { key: a.key } })).status).toBe(200);
  });

  it('accepts an API key as a Bearer token and in X-API-Key', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    expect((await api.request('GET', '/api/v1/auth/me', { auth: { bearer: dev.key } })).body.id).toBe(dev.id);
    expect((await api.request('GET', '/api/v1/auth/me', { headers: { 'X-API-Key': dev.key } })).status).toBe(
      200,
    );
  });
});

describeEachDatabase('credentials on routes that do not authenticate', (ctx) => {
  it('neither requires nor refuses them, and a protected route still refuses a bad one', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    for (const headers of [
      { 'X-WearLink-API-Key': dev.key },
      { 'X-WearLink-API-Key': 'sk-not-a-real-key-but-shaped-like-one-000000' },
      { Authorization: 'Basic abc' },
      { Authorization: 'Bearer not.a.jwt' },
    ]) {
      const health = await api.request('GET', '/health', { headers });
      expect(health.status, JSON.stringify(headers)).toBe(200);
      const users = await api.request('GET', '/api/v1/users', { headers });
      expect(users.status, JSON.stringify(headers)).toBe(
        headers['X-WearLink-API-Key'] === dev.key ? 200 : 401,
      );
      if (users.status === 401) expect(users.body.detail).toMatch(/API key|token|Authorization/);
    }
  });
});
