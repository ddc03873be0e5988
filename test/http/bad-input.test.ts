import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

/** Mistakes a new user makes. Each must get a clear 4xx with `{detail}`: never a 500. */
describeEachDatabase('bad input', (ctx) => {
  it('names missing and mistyped fields in a 422', async () => {
    const { api } = ctx();
    const missing = await api.request('POST', '/api/v1/auth/register', { json: { email: 'x@example.com' } });
    expect(missing.status).toBe(422);
    const locs = missing.body.detail.map((e: { loc: string[] }) => e.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.password', 'body.name']));
    for (const e of missing.body.detail)
      expect(e).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });

    const wrongTypes = await api.request('POST', '/api/v1/auth/register', {
      json: { email: 42, password: ['x'], name: 'N' },
    });
    expect(wrongTypes.status).toBe(422);
    const badEmail = await api.request('POST', '/api/v1/auth/register', {
      json: { email: 'not-an-email', password: 'long-enough-pw', name: 'N' },
    });
    expect(badEmail.body.detail[0].loc).toEqual(['body', 'email']);
    const shortPassword = await api.request('POST', '/api/v1/auth/register', {
      json: { email: 'ok@example.com', password: 'short', name: 'N' },
    });
    expect(shortPassword.body.detail[0].msg).toMatch(/at least 8/);

    const { key } = await api.registerDeveloper();
    const unknownField = await api.request('POST', '/api/v1/users', {
      auth: { key },
      json: { name: 'Jane' },
    });
    expect(unknownField.status).toBe(422);
    const emptyPatch = await api.request('PATCH', `/api/v1/users/${(await api.createUser(key)).id}`, {
      auth: { key },
      json: {},
    });
    expect(emptyPatch.status).toBe(422);
    const notAnObject = await api.request('POST', '/api/v1/users', { auth: { key }, json: [1, 2] });
    expect(notAnObject.status).toBe(422);
  });

  it('rejects malformed JSON, wrong media types and oversized bodies', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const malformed = await api.request('POST', '/api/v1/users', {
      auth: { key },
      body: '{"first_name": "Jane",',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ detail: 'Malformed JSON in request body' });

    const asText = await api.request('POST', '/api/v1/users', {
      auth: { key },
      body: 'first_name=Jane',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(asText.status).toBe(415);
    expect(asText.body.detail).toBeTypeOf('string');

    const jsonLogin = await api.request('POST', '/api/v1/auth/login', {
      json: { username: 'a@b.co', password: 'x' },
    });
    expect(jsonLogin.status).toBe(415);

    const huge = await api.request('POST', '/api/v1/users', {
      auth: { key },
      json: { first_name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toMatch(/exceeds/);
  });

  it('validates UUIDs and answers unknown routes with 404 {detail}', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const badUuid = await api.request('GET', '/api/v1/users/not-a-uuid', { auth: { key } });
    expect(badUuid.status).toBe(422);
    expect(badUuid.body.detail[0]).toMatchObject({ loc: ['path', 'user_id'], msg: 'user_id must be a UUID' });
    const badKeyId = await api.request('DELETE', '/api/v1/developer/api-keys/123', { auth: { key } });
    expect(badKeyId.status).toBe(422);
    const nowhere = await api.request('GET', '/api/v1/nowhere', { auth: { key } });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body).toEqual({ detail: 'Not found' });
  });

  it('checks credentials before input: no 422 leaks to anonymous callers', async () => {
    const { api } = ctx();
    const anonymous = await api.request('GET', '/api/v1/users/not-a-uuid');
    expect(anonymous.status).toBe(401);
    const garbageKey = await api.request('GET', '/api/v1/users', { auth: { key: 'sk-garbage' } });
    expect(garbageKey.status).toBe(401);
    const weirdScheme = await api.request('GET', '/api/v1/users', {
      headers: { Authorization: 'Basic Zm9vOmJhcg==' },
    });
    expect(weirdScheme.status).toBe(401);
  });
});
