import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

/**
 * Walks the OpenAPI document, so every route added later that takes a `{user_id}` is covered without
 * touching this test: developer B must get 404 for each of developer A's users, whatever the method.
 */
describeEachDatabase('tenant isolation', (ctx) => {
  it("gives another developer's key 404 on every user route", async () => {
    const { api } = ctx();
    const a = await api.registerDeveloper('A');
    const b = await api.registerDeveloper('B');
    const victim = await api.createUser(a.key, { first_name: 'Victim', email: 'victim@example.com' });
    const doc = (await api.request('GET', '/api/v1/openapi.json')).body;

    const checked: string[] = [];
    for (const [template, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!template.includes('{user_id}')) continue;
      for (const method of Object.keys(item)) {
        const path = template
          .replace('{user_id}', victim.id)
          .replace(/\{[a-z_]+\}/g, '00000000-0000-4000-8000-000000000000');
        // A syntactically valid body, so a 404 cannot hide behind a 422.
        const res = await api.request(method.toUpperCase(), path, {
          auth: { key: b.key },
          json: method === 'get' || method === 'delete' ? undefined : { first_name: 'Mallory' },
        });
        expect(res.status, `${method.toUpperCase()} ${template}`).toBe(404);
        checked.push(`${method} ${template}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);

    // And A's user is untouched.
    const still = await api.request('GET', `/api/v1/users/${victim.id}`, { auth: { key: a.key } });
    expect(still.body).toMatchObject({ first_name: 'Victim', email: 'victim@example.com' });
    const list = await api.request('GET', '/api/v1/users?search=victim', { auth: { key: b.key } });
    expect(list.body.pagination.total_count).toBe(0);
  });

  it('limits an SDK token to its own user', async () => {
    const { api } = ctx();
    const a = await api.registerDeveloper();
    const u1 = await api.createUser(a.key);
    const u2 = await api.createUser(a.key);
    const token = (await api.request('POST', `/api/v1/users/${u1.id}/token`, { auth: { key: a.key } })).body;
    for (const path of [`/api/v1/users/${u1.id}`, `/api/v1/users/${u2.id}`, '/api/v1/developer/api-keys']) {
      const res = await api.request('GET', path, { auth: { bearer: token.access_token } });
      expect(res.status, path).toBe(403);
    }
  });
});
