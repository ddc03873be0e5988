import { expect, it } from 'vitest';
import { verifyAuditChains } from '../../src/audit/verify.ts';
import { type Credential, describeEachDatabase, type TestServer, uniqueSuffix } from '../support/harness.ts';

const ADMIN_EMAIL = 'support-admin@example.com';
const PASSWORD = 'correct horse battery staple';
const CONTACT_PER_HOUR = 3;

/** The superuser: registered under the SUPERUSER_EMAILS address (once per server), signed in. */
async function admin(server: TestServer): Promise<{ id: string; auth: Credential }> {
  const { api } = server;
  const registered = await api.request('POST', '/api/v1/auth/register', {
    json: { email: ADMIN_EMAIL, password: PASSWORD, name: 'Operator' },
  });
  expect([201, 409], registered.text).toContain(registered.status);
  const login = await api.request('POST', '/api/v1/auth/login', {
    body: new URLSearchParams({ username: ADMIN_EMAIL, password: PASSWORD }),
  });
  expect(login.status, login.text).toBe(200);
  const me = await api.request('GET', '/api/v1/auth/me', { auth: { bearer: login.body.access_token } });
  return { id: me.body.id, auth: { bearer: login.body.access_token } };
}

async function auditRows(server: TestServer, developerId: string, action: string) {
  return server.platform.database.db
    .selectFrom('audit_logs')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('action', '=', action)
    .execute();
}

/** A distinct client address per test (TRUST_PROXY below), so contact-form buckets do not collide. */
const fromAddress = () => ({
  'X-Forwarded-For': `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`,
});

describeEachDatabase(
  'admin support and announcements',
  (ctx) => {
    it('serves the active announcement publicly; publishing keeps exactly one active; dismiss; audited once each', async () => {
      const server = ctx();
      const { api } = server;
      const root = await admin(server);
      const before = await api.request('GET', '/api/v1/admin/announcements/active');
      expect(before.status).toBe(200);
      expect(before.headers.get('cache-control')).toBe('no-store');

      const first = await api.request('POST', '/api/v1/admin/announcements/publish', {
        auth: root.auth,
        json: { severity: 'info', title: 'Maintenance', body: 'Sunday 02:00 UTC' },
      });
      expect(first.status, first.text).toBe(201);
      expect(first.body).toMatchObject({ active: true, cta_label: null, published_by_email: ADMIN_EMAIL });
      const second = await api.request('POST', '/api/v1/admin/announcements/publish', {
        auth: root.auth,
        json: {
          severity: 'warning',
          title: '  Price change  ',
          body: 'New plans from May',
          cta_label: 'Read more',
          cta_url: 'https://example.com/pricing',
        },
      });
      expect(second.status, second.text).toBe(201);
      expect(second.body.title).toBe('Price change');

      // Public: no credential at all, and only the public fields.
      const active = await api.request('GET', '/api/v1/admin/announcements/active');
      expect(active.body).toEqual({
        announcement: {
          id: second.body.id,
          severity: 'warning',
          title: 'Price change',
          body: 'New plans from May',
          cta_label: 'Read more',
          cta_url: 'https://example.com/pricing',
          published_at: second.body.published_at,
        },
      });
      const stillActive = await server.platform.database.db
        .selectFrom('announcements')
        .select('id')
        .where('active', '=', true)
        .execute();
      expect(stillActive).toEqual([{ id: second.body.id }]);

      const history = await api.request('GET', '/api/v1/admin/announcements/history?limit=1', {
        auth: root.auth,
      });
      expect(history.status).toBe(200);
      expect(history.body.data.map((a: { id: string }) => a.id)).toEqual([second.body.id]);
      expect(history.body.pagination).toMatchObject({ limit: 1, offset: 0, has_more: true });
      const older = await api.request('GET', '/api/v1/admin/announcements/history?limit=200', {
        auth: root.auth,
      });
      const firstNow = older.body.data.find((a: { id: string }) => a.id === first.body.id);
      expect(firstNow).toMatchObject({ active: false });
      expect(firstNow.deactivated_at).not.toBeNull();

      const dismissed = await api.request('POST', `/api/v1/admin/announcements/${second.body.id}/dismiss`, {
        auth: root.auth,
      });
      expect(dismissed.status, dismissed.text).toBe(200);
      expect(dismissed.body.active).toBe(false);
      expect((await api.request('GET', '/api/v1/admin/announcements/active')).body).toEqual({
        announcement: null,
      });
      // Dismissing again changes nothing and writes nothing.
      const again = await api.request('POST', `/api/v1/admin/announcements/${second.body.id}/dismiss`, {
        auth: root.auth,
      });
      expect(again.status).toBe(200);
      const missing = await api.request(
        'POST',
        '/api/v1/admin/announcements/00000000-0000-4000-8000-000000000000/dismiss',
        { auth: root.auth },
      );
      expect(missing.status).toBe(404);

      const tenant =
        (await api.request('GET', '/api/v1/auth/me', { auth: root.auth })).body.tenant_id ?? root.id;
      const published = await auditRows(server, tenant, 'admin.announcement.published');
      const byId = <T extends { target_id: string | null }>(rows: T[], id: string) =>
        rows.filter((r) => r.target_id === id);
      expect(byId(published, first.body.id)).toHaveLength(1);
      expect(byId(published, second.body.id)).toHaveLength(1);
      expect(byId(published, second.body.id)[0]).toMatchObject({ actor_type: 'admin', actor_id: root.id });
      expect(byId(published, second.body.id)[0]?.detail).toMatchObject({ replaced: first.body.id });
      expect(
        byId(await auditRows(server, tenant, 'admin.announcement.dismissed'), second.body.id),
      ).toHaveLength(1);
      expect((await verifyAuditChains(server.platform.database.db, tenant))[0]?.ok).toBe(true);
    });

    it('refuses a CTA that is not http(s), a label without a URL and unknown fields', async () => {
      const server = ctx();
      const root = await admin(server);
      const base = { severity: 'critical', title: 'T', body: 'B' };
      for (const json of [
        { ...base, cta_label: 'Go', cta_url: 'javascript:alert(1)' },
        { ...base, cta_label: 'Go', cta_url: 'data:text/html,hi' },
        { ...base, cta_label: 'Go' },
        { ...base, severity: 'panic' },
        { ...base, title: '   ' },
        { ...base, body: 'x'.repeat(1001) },
        { ...base, active: false },
      ]) {
        const res = await server.api.request('POST', '/api/v1/admin/announcements/publish', {
          auth: root.auth,
          json,
        });
        expect(res.status, JSON.stringify(json)).toBe(422);
      }
    });

    it('answers a non-admin developer, an SDK token and no credential with 404 on every admin route', async () => {
      const server = ctx();
      const { api } = server;
      await admin(server);
      const dev = await api.registerDeveloper('Plain');
      const login = await api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: dev.email, password: dev.password }),
      });
      const user = await api.createUser(dev.key);
      const sdk = await api.request('POST', `/api/v1/users/${user.id}/token`, { auth: { key: dev.key } });
      const id = '00000000-0000-4000-8000-000000000000';
      const routes: [string, string, unknown][] = [
        ['GET', '/api/v1/admin/announcements/history', undefined],
        ['POST', '/api/v1/admin/announcements/publish', { severity: 'info', title: 'x', body: 'y' }],
        ['POST', `/api/v1/admin/announcements/${id}/dismiss`, undefined],
        ['GET', '/api/v1/admin/support', undefined],
        ['POST', `/api/v1/admin/support/${id}/resolve`, { resolved: true }],
      ];
      const credentials: Credential[] = [
        { key: dev.key },
        { bearer: login.body.access_token },
        { bearer: sdk.body.access_token },
        undefined,
      ];
      for (const [method, path, json] of routes) {
        for (const auth of credentials) {
          const res = await api.request(method, path, { auth, json });
          expect(res.status, `${method} ${path}`).toBe(404);
          expect(res.body).toEqual({ detail: 'Not found' });
        }
      }
      expect(
        await server.platform.database.db
          .selectFrom('announcements')
          .selectAll()
          .where('title', '=', 'x')
          .execute(),
      ).toEqual([]);
    });

    it('files contact-form tickets; audits a known developer in its trail, skips unknown senders; rate limits per address', async () => {
      const server = ctx();
      const { api } = server;
      const root = await admin(server);
      const dev = await api.registerDeveloper('Customer');
      const headers = fromAddress();
      const known = await api.request('POST', '/api/v1/support/contact', {
        headers,
        json: {
          email: dev.email.toUpperCase(),
          name: 'Ada',
          subject: 'Webhooks late',
          message: 'Since Monday',
        },
      });
      expect(known.status, known.text).toBe(201);
      expect(known.body).toMatchObject({ status: 'open' });
      const strangerEmail = `stranger-${uniqueSuffix()}@example.org`;
      const stranger = await api.request('POST', '/api/v1/support/contact', {
        headers,
        json: { email: strangerEmail, subject: 'Pricing', message: 'Do you have an NGO plan?' },
      });
      expect(stranger.status, stranger.text).toBe(201);

      const rows = await auditRows(server, dev.id, 'contact.submit');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_type: 'anonymous',
        target_id: known.body.id,
        ip: headers['X-Forwarded-For'],
      });
      const anywhere = await server.platform.database.db
        .selectFrom('audit_logs')
        .select('id')
        .where('target_id', '=', stranger.body.id)
        .execute();
      expect(anywhere).toEqual([]);

      // Bad input does not count against the hour; the fourth good one from the same address does.
      for (const json of [
        { email: 'nope', subject: 's', message: 'm' },
        { email: 'a@b.co', subject: '', message: 'm' },
        { email: 'a@b.co', subject: 's', message: 'x'.repeat(5001) },
        { email: 'a@b.co', subject: 's', message: 'm', admin: true },
      ]) {
        expect((await api.request('POST', '/api/v1/support/contact', { headers, json })).status).toBe(422);
      }
      const third = await api.request('POST', '/api/v1/support/contact', {
        headers,
        json: { email: strangerEmail, subject: 'Again', message: 'Hello?' },
      });
      expect(third.status, third.text).toBe(201);
      const limited = await api.request('POST', '/api/v1/support/contact', {
        headers,
        json: { email: strangerEmail, subject: 'Again', message: 'Hello??' },
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
      // Another address is not limited.
      const other = await api.request('POST', '/api/v1/support/contact', {
        headers: fromAddress(),
        json: { email: strangerEmail, subject: 'From elsewhere', message: 'Hi' },
      });
      expect(other.status).toBe(201);

      // The admin list: filters and the developer's email.
      const list = await api.request('GET', `/api/v1/admin/support?q=${encodeURIComponent(dev.email)}`, {
        auth: root.auth,
      });
      expect(list.status, list.text).toBe(200);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({
        id: known.body.id,
        developer_id: dev.id,
        developer_email: dev.email,
        name: 'Ada',
        status: 'open',
      });
      const byText = await api.request('GET', '/api/v1/admin/support?q=NGO%20PLAN', { auth: root.auth });
      expect(byText.body.data.map((t: { id: string }) => t.id)).toEqual([stranger.body.id]);
      const wildcard = await api.request('GET', '/api/v1/admin/support?q=%25', { auth: root.auth });
      expect(wildcard.body.data).toEqual([]);
    });

    it('resolves and reopens a ticket, one audit row on the admin trail per change', async () => {
      const server = ctx();
      const { api } = server;
      const root = await admin(server);
      const tenant =
        (await api.request('GET', '/api/v1/auth/me', { auth: root.auth })).body.tenant_id ?? root.id;
      const filed = await api.request('POST', '/api/v1/support/contact', {
        headers: fromAddress(),
        json: { email: `x-${uniqueSuffix()}@example.net`, subject: 'Resolve me', message: 'Please' },
      });
      expect(filed.status).toBe(201);
      const id = filed.body.id as string;
      const resolve = (resolved: boolean) =>
        api.request('POST', `/api/v1/admin/support/${id}/resolve`, { auth: root.auth, json: { resolved } });

      const done = await resolve(true);
      expect(done.status, done.text).toBe(200);
      expect(done.body).toMatchObject({
        status: 'resolved',
        resolved_by: root.id,
        resolved_by_email: ADMIN_EMAIL,
      });
      expect(done.body.resolved_at).not.toBeNull();
      expect((await resolve(true)).status).toBe(200);
      const resolvedOnly = await api.request('GET', '/api/v1/admin/support?status=resolved&limit=200', {
        auth: root.auth,
      });
      expect(resolvedOnly.body.data.map((t: { id: string }) => t.id)).toContain(id);
      const openOnly = await api.request('GET', '/api/v1/admin/support?status=open&limit=200', {
        auth: root.auth,
      });
      expect(openOnly.body.data.map((t: { id: string }) => t.id)).not.toContain(id);

      const reopened = await resolve(false);
      expect(reopened.body).toMatchObject({ status: 'open', resolved_at: null, resolved_by: null });

      const resolvedRows = (await auditRows(server, tenant, 'admin.support.resolved')).filter(
        (r) => r.target_id === id,
      );
      const reopenedRows = (await auditRows(server, tenant, 'admin.support.reopened')).filter(
        (r) => r.target_id === id,
      );
      expect(resolvedRows).toHaveLength(1);
      expect(reopenedRows).toHaveLength(1);
      expect(resolvedRows[0]).toMatchObject({ actor_type: 'admin', actor_id: root.id });
      expect((await resolve(true)).status).toBe(200);
      expect(
        (
          await api.request('POST', '/api/v1/admin/support/00000000-0000-4000-8000-000000000000/resolve', {
            auth: root.auth,
            json: { resolved: true },
          })
        ).status,
      ).toBe(404);
      expect((await verifyAuditChains(server.platform.database.db, tenant))[0]?.ok).toBe(true);
    });
  },
  {
    env: {
      SUPERUSER_EMAILS: ADMIN_EMAIL,
      CONTACT_FORM_PER_HOUR: String(CONTACT_PER_HOUR),
      TRUST_PROXY: 'true',
    },
  },
);
