import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

describeEachDatabase('Quick Start (spec 001): register → key → user → SDK token', (ctx) => {
  it('walks the documented flow end to end', async () => {
    const { api } = ctx();
    const email = `quick-${Date.now()}@example.com`;
    const registered = await api.request('POST', '/api/v1/auth/register', {
      json: { email, password: 'a-long-password', name: 'Quick Start' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email, name: 'Quick Start', plan: 'hobby' });
    const key: string = registered.body.api_key.key;
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);

    const form = new FormData();
    form.set('username', email);
    form.set('password', 'a-long-password');
    const login = await api.request('POST', '/api/v1/auth/login', { body: form });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const me = await api.request('GET', '/api/v1/auth/me', { auth: { bearer: login.body.access_token } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);

    const user = await api.request('POST', '/api/v1/users', {
      auth: { key },
      json: { first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' },
    });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com' });
    expect(user.body.id).toMatch(/^[0-9a-f-]{36}$/);

    // X-API-Key is accepted as well as X-WearLink-API-Key.
    const fetched = await api.request('GET', `/api/v1/users/${user.body.id}`, {
      headers: { 'X-API-Key': key },
    });
    expect(fetched.status).toBe(200);
    expect(fetched.body.id).toBe(user.body.id);

    const token = await api.request('POST', `/api/v1/users/${user.body.id}/token`, { auth: { key } });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(token.body.access_token.split('.')).toHaveLength(3);

    // The SDK token speaks for that one user on /sdk routes only: it cannot manage the tenant.
    const misuse = await api.request('GET', '/api/v1/users', { auth: { bearer: token.body.access_token } });
    expect(misuse.status).toBe(403);
    expect(misuse.body.detail).toMatch(/SDK tokens/);
  });
});
