import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.ts';
import { describeEachDatabase } from '../support/harness.ts';

describeEachDatabase('operations endpoints', (ctx) => {
  it('answers /health and /ready', async () => {
    const { api } = ctx();
    expect((await api.request('GET', '/health')).body).toEqual({ status: 'ok' });
    const ready = await api.request('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.checks.database).toBe('ok');
    // With Redis configured (the PostgreSQL leg), it is checked too.
    for (const result of Object.values(ready.body.checks)) expect(result).toBe('ok');
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and a docs page', async () => {
    const { api } = ctx();
    const doc = await api.request('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/me',
      '/api/v1/developer/api-keys',
      '/api/v1/developer/api-keys/{key_id}/rotate',
      '/api/v1/users',
      '/api/v1/users/{user_id}',
      '/api/v1/users/{user_id}/token',
    ]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
    expect(doc.body.paths['/api/v1/auth/login'].post.requestBody.content).toHaveProperty([
      'multipart/form-data',
    ]);
    expect(doc.body.components.schemas.RegisterRequest.required).toEqual(['email', 'password', 'name']);
    expect(doc.body.components.securitySchemes.ApiKey).toMatchObject({
      in: 'header',
      name: 'X-WearLink-API-Key',
    });

    const docs = await api.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.text).toContain('/api/v1/users/{user_id}/token');
    expect(docs.text).toContain('X-WearLink-API-Key');
  });

  it('echoes a sane X-Request-Id, replaces an insane one, and rate-limit headers ride on every response', async () => {
    const { api } = ctx();
    const echoed = await api.request('GET', '/health', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await api.request('GET', '/health', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const res of [
      echoed,
      await api.request('GET', '/api/v1/nowhere'),
      await api.request('GET', '/api/v1/users'),
    ]) {
      expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
  });
});

it('redacts credentials from log lines', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink);
  logger.info(
    {
      body: { password: 'hunter2-secret', api_key: 'sk-abc' },
      req: { headers: { authorization: 'Bearer eyJsecret', 'x-api-key': 'sk-header-secret' } },
      access_token: 'tok-secret',
    },
    'hello',
  );
  const out = lines.join('');
  for (const secret of ['hunter2-secret', 'sk-abc', 'eyJsecret', 'sk-header-secret', 'tok-secret']) {
    expect(out).not.toContain(secret);
  }
  expect(out).toContain('[redacted]');
});
