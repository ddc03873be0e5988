import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConnectLink, verifyConnectLink } from '../../../src/providers/oauth/connect-link.ts';
import { escapeHtml, renderConnectPage } from '../../../src/providers/oauth/connect-page.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { describeEachDatabase } from '../../support/harness.ts';
import { developerWithApp, startTestVendor, type TestVendor } from './test-vendor.ts';

// The hosted connect page: a short-lived signed link, a self-contained page, and the full connect
// through it (Connect → vendor consent → callback → back on the page with the outcome).

let vendor: TestVendor;
let restore: () => void;
beforeAll(async () => {
  vendor = await startTestVendor();
  restore = withProviderModules([vendor.module]);
});
afterAll(async () => {
  restore();
  await vendor.close();
});

const SECRET = 'a-secret-that-is-long-enough-for-tests-0123456789';

describe('connect link tokens', () => {
  it('verifies its own links and refuses tampered, foreign and expired ones', () => {
    const claims = { developerId: 'd1', userId: 'u1', exp: Math.floor(Date.now() / 1000) + 60 };
    const token = signConnectLink(SECRET, claims);
    expect(verifyConnectLink(SECRET, token)).toEqual({ ok: true, claims });
    expect(verifyConnectLink('another-secret-that-is-long-enough-000000000', token)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ d: 'd1', u: 'u2', e: claims.exp })).toString('base64url');
    expect(verifyConnectLink(SECRET, `${forged}.${mac}`).ok).toBe(false);
    expect(verifyConnectLink(SECRET, `${body}.${mac}x`).ok).toBe(false);
    expect(verifyConnectLink(SECRET, 'garbage').ok).toBe(false);
    expect(verifyConnectLink(SECRET, token, claims.exp + 1)).toEqual({ ok: false, reason: 'expired' });
  });

  it('escapes everything it shows', () => {
    const html = renderConnectPage({
      providers: [
        { slug: 'x', name: '<script>alert(1)</script>', status: null, connectUrl: 'https://a/"onclick' },
      ],
      notice: { kind: 'error', text: '<img src=x onerror=alert(1)>' },
      expiresAt: new Date(0),
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
    expect(html).toContain('href="https://a/&quot;onclick"');
  });
});

describeEachDatabase(
  'Hosted connect page',
  (ctx) => {
    it('lists configured providers, connects through the vendor, and shows the outcome', async () => {
      const server = ctx();
      const { auth, user } = await developerWithApp(server);
      const link = await server.api.request('POST', `/api/v1/users/${user.id}/connect-link`, { auth });
      expect(link.status, link.text).toBe(201);
      expect(link.body.url).toMatch(new RegExp(`^${server.url}/connect/[\\w-]+\\.[\\w-]+$`));
      const ttl = Date.parse(link.body.expires_at) - Date.now();
      expect(ttl).toBeGreaterThan(3500_000);
      expect(ttl).toBeLessThanOrEqual(3600_000);

      const page = await fetch(link.body.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('Test Ring');
      expect(html).toContain('Not connected');
      expect(html).not.toMatch(/<script|src=|<link/);
      expect(html).toContain(`href="${link.body.url}/oura"`);

      const toVendor = await fetch(`${link.body.url}/oura`, { redirect: 'manual' });
      expect(toVendor.status).toBe(302);
      const consentUrl = toVendor.headers.get('location') as string;
      expect(consentUrl.startsWith(`${vendor.url}/oauth/authorize?`)).toBe(true);
      const consent = await fetch(consentUrl, { redirect: 'manual' });
      const callback = await fetch(consent.headers.get('location') as string, { redirect: 'manual' });
      const back = callback.headers.get('location') as string;
      expect(back.startsWith(`${link.body.url}?`)).toBe(true);
      const after = await (await fetch(back)).text();
      expect(after).toContain('Test Ring is connected.');
      expect(after).toContain('Reconnect');
      expect(after).toContain('>Connected<');

      const denied = await fetch(`${link.body.url}?status=error&provider=oura&error=access_denied`);
      expect(await denied.text()).toContain('Access to Test Ring was not granted.');
    });

    it('answers forged and expired links with a 4xx page and hides unconfigured providers', async () => {
      const server = ctx();
      const other = await server.api.registerDeveloper();
      const otherUser = await server.api.createUser(other.key);
      const link = await server.api.request('POST', `/api/v1/users/${otherUser.id}/connect-link`, {
        auth: { key: other.key },
      });
      // This developer has no app for the vendor: nothing to connect, and its Connect URL refuses.
      expect(await (await fetch(link.body.url)).text()).toContain('No provider is available');
      const refused = await fetch(`${link.body.url}/oura`, { redirect: 'manual' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('is not configured');

      const token = new URL(link.body.url).pathname.split('/')[2] as string;
      const forged = await fetch(`${server.url}/connect/${token.slice(0, -2)}AA`);
      expect(forged.status).toBe(404);
      expect(await forged.text()).toContain('not valid');
      const expired = signConnectLink(server.platform.config.jwtSecret, {
        developerId: other.id,
        userId: otherUser.id,
        exp: Math.floor(Date.now() / 1000) - 1,
      });
      const stale = await fetch(`${server.url}/connect/${expired}`);
      expect(stale.status).toBe(410);
      expect(await stale.text()).toContain('expired');
      expect((await fetch(`${server.url}/connect/${expired}/oura`, { redirect: 'manual' })).status).toBe(410);
      // Another developer's user cannot be named in a link.
      const { auth } = await developerWithApp(server);
      expect(
        (await server.api.request('POST', `/api/v1/users/${otherUser.id}/connect-link`, { auth })).status,
      ).toBe(404);
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
