import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/harness.ts';
import { addMember } from './support.ts';

/**
 * Walks the OpenAPI document, so every write route added later is covered without touching this test:
 * a viewer's session gets 403 `role_forbidden` on every operation that is not a GET or HEAD and takes a
 * developer credential (never a 2xx, never a 5xx), before its input or its resources are looked at.
 */
describeEachDatabase(
  'viewer role on every write route',
  (ctx) => {
    it('refuses a viewer every non-GET operation with 403 role_forbidden', async () => {
      const { api } = ctx();
      const owner = await api.registerDeveloper('Viewer walk');
      const user = await api.createUser(owner.key, { first_name: 'Walked' });
      const viewer = await addMember(api, owner.key, 'viewer');
      const doc = (await api.request('GET', '/api/v1/openapi.json')).body;

      const checked: string[] = [];
      for (const [template, item] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (method === 'get' || method === 'head' || method === 'parameters') continue;
          // Public operations (no credential: vendor callbacks and webhooks, invitation accept, login).
          if (!Array.isArray(operation.security) || operation.security.length === 0) continue;
          // MCP is POST by protocol: a viewer may call it, and each tool's REST call is checked as the
          // viewer's own (test/mcp/mcp.test.ts: a viewer reads, and trigger_sync is refused role_forbidden).
          if (template === '/api/v1/mcp') continue;
          const path = template
            .replace('{user_id}', user.id)
            .replace(/\{[a-z_]+\}/g, '00000000-0000-4000-8000-000000000000');
          const res = await api.request(method.toUpperCase(), path, {
            auth: { bearer: viewer.bearer },
            json: {},
          });
          const label = `${method.toUpperCase()} ${template}`;
          expect(res.status, `${label}: ${res.text}`).toBeLessThan(500);
          if (template.startsWith('/api/v1/admin/')) {
            // Superuser routes do not exist for anyone else (the tenant is no superuser here).
            expect(res.status, label).toBe(404);
          } else {
            expect(res.status, `${label}: ${res.text}`).toBe(403);
            expect(res.body.code, label).toBe('role_forbidden');
          }
          checked.push(label);
        }
      }
      expect(checked.length).toBeGreaterThanOrEqual(30);
      expect(checked).toEqual(
        expect.arrayContaining([
          'POST /api/v1/developer/api-keys',
          'POST /api/v1/users',
          'DELETE /api/v1/users/{user_id}',
          'POST /api/v1/team/invitations',
          'PATCH /api/v1/team/members/{member_id}',
        ]),
      );

      // Nothing happened: the owner's user is still there, with no new keys.
      const keys = await api.request('GET', '/api/v1/developer/api-keys', { auth: { key: owner.key } });
      expect(keys.body).toHaveLength(1);
      const still = await api.request('GET', `/api/v1/users/${user.id}`, { auth: { bearer: viewer.bearer } });
      expect(still.status).toBe(200);
    });

    it('lets an API key and an admin session through the same routes (the check is by role)', async () => {
      const { api } = ctx();
      const owner = await api.registerDeveloper();
      const admin = await addMember(api, owner.key, 'admin');
      for (const auth of [{ key: owner.key }, { bearer: admin.bearer }]) {
        const res = await api.request('POST', '/api/v1/users', { auth, json: { first_name: 'Ok' } });
        expect(res.status).toBe(201);
      }
    });
  },
  { worker: false },
);
