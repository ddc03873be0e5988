import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';

describeEachDatabase(
  'users search (q)',
  (ctx) => {
    it('finds users by part of the name, the full name, email or external_id, within the tenant only', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const other = await server.api.registerDeveloper();
      const ada = await server.api.createUser(dev.key, {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@example.com',
        external_id: 'ext-100_a',
      });
      const alan = await server.api.createUser(dev.key, {
        first_name: 'Alan',
        last_name: 'Turing',
        email: 'alan@example.org',
        external_id: 'ext-200',
      });
      await server.api.createUser(other.key, {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'x@example.com',
      });
      const search = async (q: string, extra = '') => {
        const res = await server.api.request('GET', `/api/v1/users?q=${encodeURIComponent(q)}${extra}`, {
          auth: { key: dev.key },
        });
        expect(res.status).toBe(200);
        return (res.body.data as { id: string }[]).map((u) => u.id).sort();
      };
      expect(await search('love')).toEqual([ada.id]);
      expect(await search('ADA LOVE')).toEqual([ada.id]);
      expect(await search('example.org')).toEqual([alan.id]);
      expect(await search('ext-')).toEqual([ada.id, alan.id].sort());
      // LIKE wildcards are literal characters.
      expect(await search('100_a')).toEqual([ada.id]);
      expect(await search('%')).toEqual([]);
      expect(await search('nobody')).toEqual([]);
      // Empty q lists everyone; total_count follows the filter, and the cursor pages through it.
      expect(await search('')).toEqual([ada.id, alan.id].sort());
      const first = await server.api.request('GET', '/api/v1/users?q=ext-&limit=1', {
        auth: { key: dev.key },
      });
      expect(first.body.pagination).toMatchObject({ total_count: 2, has_more: true });
      const second = await server.api.request(
        'GET',
        `/api/v1/users?q=ext-&limit=1&cursor=${first.body.pagination.next_cursor}`,
        { auth: { key: dev.key } },
      );
      expect(second.body.pagination).toMatchObject({ has_more: false, next_cursor: null });
      expect([first.body.data[0].id, second.body.data[0].id].sort()).toEqual([ada.id, alan.id].sort());
    });
  },
  { worker: false },
);
