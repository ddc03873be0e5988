import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

describeEachDatabase('end-users', (ctx) => {
  it('creates, reads, updates and deletes a user', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const auth = { key };
    const created = await api.request('POST', '/api/v1/users', {
      auth,
      json: { first_name: 'Jane', email: 'Jane@Example.com', external_id: 'crm-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ first_name: 'Jane', last_name: null, external_id: 'crm-1' });
    const id: string = created.body.id;

    const patched = await api.request('PATCH', `/api/v1/users/${id}`, { auth, json: { last_name: 'Doe' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ first_name: 'Jane', last_name: 'Doe', email: 'Jane@Example.com' });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_at));

    const cleared = await api.request('PATCH', `/api/v1/users/${id}`, { auth, json: { external_id: null } });
    expect(cleared.body.external_id).toBeNull();

    expect((await api.request('DELETE', `/api/v1/users/${id}`, { auth })).status).toBe(204);
    const gone = await api.request('GET', `/api/v1/users/${id}`, { auth });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: 'User not found' });
    expect((await api.request('DELETE', `/api/v1/users/${id}`, { auth })).status).toBe(404);
  });

  it('enforces unique email and external_id per developer, not across developers', async () => {
    const { api } = ctx();
    const a = await api.registerDeveloper();
    const b = await api.registerDeveloper();
    await api.createUser(a.key, { email: 'same@example.com', external_id: 'x1' });
    const dupEmail = await api.request('POST', '/api/v1/users', {
      auth: { key: a.key },
      json: { email: 'SAME@example.com' },
    });
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.body).toEqual({ detail: 'A user with this email already exists' });
    const dupExternal = await api.request('POST', '/api/v1/users', {
      auth: { key: a.key },
      json: { external_id: 'x1' },
    });
    expect(dupExternal.status).toBe(409);
    expect(dupExternal.body.detail).toMatch(/external_id/);
    // Another tenant may have the very same end-user.
    await api.createUser(b.key, { email: 'same@example.com', external_id: 'x1' });

    const other = await api.createUser(a.key, { email: 'other@example.com' });
    const clash = await api.request('PATCH', `/api/v1/users/${other.id}`, {
      auth: { key: a.key },
      json: { email: 'same@example.com' },
    });
    expect(clash.status).toBe(409);
  });

  it('lists with search, sorting, page numbers and cursors that neither skip nor repeat', async () => {
    const { api } = ctx();
    const { key } = await api.registerDeveloper();
    const names = ['Alice', 'Bob', 'Carol', 'Dave', 'Eve', 'Frank', 'Grace'];
    for (const name of names)
      await api.createUser(key, { first_name: name, email: `${name.toLowerCase()}@corp.test` });
    await api.createUser(key, { first_name: 'Zed_100%', email: 'zed@elsewhere.test' });

    const all = await api.request('GET', '/api/v1/users?limit=100', { auth: { key } });
    expect(all.body.pagination).toMatchObject({ total_count: 8, has_more: false, next_cursor: null });
    // Newest first by default.
    expect(all.body.data[0].first_name).toBe('Zed_100%');

    const search = await api.request('GET', '/api/v1/users?search=CORP.test', { auth: { key } });
    expect(search.body.pagination.total_count).toBe(7);
    // LIKE wildcards in the search text are literal.
    const literal = await api.request('GET', `/api/v1/users?search=${encodeURIComponent('_100%')}`, {
      auth: { key },
    });
    expect(literal.body.data.map((u: { first_name: string }) => u.first_name)).toEqual(['Zed_100%']);
    const none = await api.request('GET', '/api/v1/users?search=%25', { auth: { key } });
    expect(none.body.pagination.total_count).toBe(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `sort_by=first_name&sort_order=asc&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.request('GET', `/api/v1/users?${query}`, { auth: { key } });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((u: { first_name: string }) => u.first_name));
      cursor = page.body.pagination.next_cursor;
      expect(page.body.pagination.has_more).toBe(cursor !== null);
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names, 'Zed_100%']);

    const page2 = await api.request('GET', '/api/v1/users?sort_by=first_name&sort_order=asc&limit=3&page=2', {
      auth: { key },
    });
    expect(page2.body.data.map((u: { first_name: string }) => u.first_name)).toEqual([
      'Dave',
      'Eve',
      'Frank',
    ]);
    expect(page2.body.pagination).toMatchObject({ page: 2, limit: 3, has_more: true });

    const badCursor = await api.request('GET', '/api/v1/users?cursor=garbage', { auth: { key } });
    expect(badCursor.status).toBe(422);
    const badSort = await api.request('GET', '/api/v1/users?sort_by=password', { auth: { key } });
    expect(badSort.status).toBe(422);
    expect(badSort.body.detail[0].loc).toEqual(['query', 'sort_by']);
  });
});
