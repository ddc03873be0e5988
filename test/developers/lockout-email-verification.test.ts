import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verificationToken, verificationUrl } from '../../src/developers/verification.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { databaseLegs, startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { decodeQuotedPrintable, type ReceivedMail, startSmtp } from '../support/vendor-mocks/smtp.ts';

function mailedLink(received: ReceivedMail[], email: string): string | undefined {
  const messages = received.filter((m) => m.to.includes(email));
  const last = messages[messages.length - 1];
  if (last === undefined) return undefined;
  return /(https?:\/\/\S+\/api\/v1\/auth\/verify-email\?token=[A-Za-z0-9._%-]+)/.exec(
    decodeQuotedPrintable(last.data),
  )?.[1];
}

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`email verification by mail [${leg}]`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: TestServer;
    beforeAll(async () => {
      smtp = await startSmtp();
      server = await startTestServer({ database: leg, worker: false, env: { SMTP_URL: smtp.url } });
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    const audit = (developerId: string) =>
      server.platform.deps.db
        .selectFrom('audit_logs')
        .select(['action', 'actor_id'])
        .where('developer_id', '=', developerId)
        .where('action', '=', 'developer.email_verified')
        .execute();

    it('mails a signed link at registration; the link verifies the address once (JSON and browser)', async () => {
      const { api } = server;
      const dev = await api.registerDeveloper('Verify Me');
      const me = await api.request('GET', '/api/v1/auth/me', { auth: { key: dev.key } });
      expect(me.body).toMatchObject({ email_verified: false, email_verified_at: null, organization: null });

      const link = mailedLink(smtp.received, dev.email);
      expect(link).toBeDefined();
      expect(link?.startsWith(`${server.platform.config.publicUrl}/api/v1/auth/verify-email?token=`)).toBe(
        true,
      );
      const path = (link ?? '').slice(server.platform.config.publicUrl.length);

      // A tampered token verifies nothing.
      // Not the last character: in base64url its low bits can be padding, and a changed padding bit
      // decodes to the same bytes (the token would still verify, as it did once in CI).
      const at = path.length - 5;
      const tampered = `${path.slice(0, at)}${path[at] === 'A' ? 'B' : 'A'}${path.slice(at + 1)}`;
      const bad = await api.request('GET', tampered);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'verification_invalid' });

      const ok = await api.request('GET', path);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({ id: dev.id, email: dev.email });
      const after = await api.request('GET', '/api/v1/auth/me', { auth: { key: dev.key } });
      expect(after.body.email_verified).toBe(true);
      expect(after.body.email_verified_at).toBe(ok.body.email_verified_at);

      // A browser is sent to the dashboard; a second use changes nothing and is not audited again.
      const browser = await fetch(`${server.url}${path}`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(browser.status).toBe(302);
      expect(browser.headers.get('location')).toBe('/?verified=1');
      expect(await audit(dev.id)).toEqual([{ action: 'developer.email_verified', actor_id: dev.id }]);
    });

    it('resends the link to an unverified account and says when there is nothing to do', async () => {
      const { api } = server;
      const dev = await api.registerDeveloper('Resend');
      const before = smtp.received.filter((m) => m.to.includes(dev.email)).length;
      const resent = await api.request('POST', '/api/v1/auth/verify-email/resend', {
        auth: { key: dev.key },
      });
      expect(resent.status).toBe(200);
      expect(resent.body).toEqual({ email: dev.email, already_verified: false, emailed: true });
      expect(smtp.received.filter((m) => m.to.includes(dev.email)).length).toBe(before + 1);
      const link = mailedLink(smtp.received, dev.email) ?? '';
      expect((await api.request('GET', link.slice(server.platform.config.publicUrl.length))).status).toBe(
        200,
      );
      const again = await api.request('POST', '/api/v1/auth/verify-email/resend', { auth: { key: dev.key } });
      expect(again.body).toEqual({ email: dev.email, already_verified: true, emailed: false });
      expect((await api.request('POST', '/api/v1/auth/verify-email/resend')).status).toBe(401);
    });

    it('refuses an expired link (browser: redirected with the reason) and a link of another account', async () => {
      const { api } = server;
      const dev = await api.registerDeveloper('Expired');
      const other = await api.registerDeveloper('Other');
      const secret = server.platform.config.jwtSecret;
      const old = verificationToken(secret, { id: dev.id, email: dev.email }, Date.now() - 73 * 3600_000);
      const expired = await api.request('GET', `/api/v1/auth/verify-email?token=${old}`);
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({
        code: 'verification_invalid',
        detail: expect.stringMatching(/expired/),
      });
      const browser = await fetch(`${server.url}/api/v1/auth/verify-email?token=${old}`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(browser.headers.get('location')).toBe('/?verified=0&reason=expired');
      // The MAC covers the account and its address: another id in the same token is refused.
      const valid = verificationToken(secret, { id: dev.id, email: dev.email });
      const swapped = valid.replace(dev.id, other.id);
      expect((await api.request('GET', `/api/v1/auth/verify-email?token=${swapped}`)).status).toBe(400);
      // Made for another address (the account's before a change): refused.
      const otherAddress = verificationToken(secret, {
        id: dev.id,
        email: `x-${uniqueSuffix()}@example.com`,
      });
      expect((await api.request('GET', `/api/v1/auth/verify-email?token=${otherAddress}`)).status).toBe(400);
      expect((await api.request('GET', '/api/v1/auth/verify-email?token=garbage')).status).toBe(400);
      expect((await audit(dev.id)).length).toBe(0);
    });

    it('PATCH /auth/me sets name and organisation (audited) and clears the organisation with null', async () => {
      const { api } = server;
      const dev = await api.registerDeveloper('Profile');
      const set = await api.request('PATCH', '/api/v1/auth/me', {
        auth: { key: dev.key },
        json: { name: 'Renamed', organization: 'Acme Health' },
      });
      expect(set.status, set.text).toBe(200);
      expect(set.body).toMatchObject({
        id: dev.id,
        name: 'Renamed',
        organization: 'Acme Health',
        role: 'admin',
      });
      const cleared = await api.request('PATCH', '/api/v1/auth/me', {
        auth: { key: dev.key },
        json: { organization: null },
      });
      expect(cleared.body).toMatchObject({ name: 'Renamed', organization: null });
      const rows = await server.platform.deps.db
        .selectFrom('audit_logs')
        .select('detail')
        .where('developer_id', '=', dev.id)
        .where('action', '=', 'developer.profile_updated')
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => r.detail)).toEqual([
        { fields: ['name', 'organization'] },
        { fields: ['organization'] },
      ]);
      const bad = await api.request('PATCH', '/api/v1/auth/me', {
        auth: { key: dev.key },
        json: { plan: 'scale' },
      });
      expect(bad.status).toBe(422);
    });
  });
}

describe('email verification without SMTP', () => {
  let server: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = createLogger('info', {
      write: (line: string) => {
        lines.push(line);
      },
    });
    server = await startTestServer({ worker: false, logger });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('logs the link for the operator instead, and the logged link works', async () => {
    const dev = await server.api.registerDeveloper('Logged');
    const line = lines.find((l) => l.includes('verification_url') && l.includes(dev.id));
    expect(line).toBeDefined();
    const url = JSON.parse(line ?? '{}').verification_url as string;
    expect(url.startsWith(verificationUrl(server.platform.config, ''))).toBe(true);
    const res = await server.api.request('GET', url.slice(server.platform.config.publicUrl.length));
    expect(res.status).toBe(200);
  });
});
