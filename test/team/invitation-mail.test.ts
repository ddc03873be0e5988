import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { databaseLegs, startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { decodeQuotedPrintable, startSmtp } from '../support/vendor-mocks/smtp.ts';

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`team invitations by mail [${leg}]`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: TestServer;
    beforeAll(async () => {
      smtp = await startSmtp();
      server = await startTestServer({
        database: leg,
        worker: false,
        env: { SMTP_URL: smtp.url, SMTP_FROM: 'WearLink <team@wearlink.test>' },
      });
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    it('mails the invitation link (and does not return it) when SMTP is configured', async () => {
      const { api } = server;
      const owner = await api.registerDeveloper('Mail Team');
      const email = `mailed-${uniqueSuffix()}@example.com`;
      const res = await api.request('POST', '/api/v1/team/invitations', {
        auth: { key: owner.key },
        json: { email, role: 'admin' },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ email, role: 'admin', emailed: true });
      expect(res.body).not.toHaveProperty('invite_url');

      const message = smtp.received.find((m) => m.to.includes(email));
      expect(message).toBeDefined();
      expect(message?.from).toBe('team@wearlink.test');
      const body = decodeQuotedPrintable(message?.data ?? '');
      const link = /(https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+)/.exec(body)?.[1];
      expect(link, body).toBeDefined();
      expect(link?.startsWith(server.platform.config.publicUrl)).toBe(true);

      // The mailed link works.
      const token = new URL(link ?? '').searchParams.get('token') ?? '';
      const lookup = await api.request('GET', `/api/v1/team/invitations/lookup?token=${token}`);
      expect(lookup.body).toMatchObject({ email, role: 'admin', team_name: 'Mail Team' });
      const accepted = await api.request('POST', '/api/v1/team/invitations/accept', {
        json: { token, name: 'Mailed Admin', password: 'mailed password 1' },
      });
      expect(accepted.status).toBe(201);
    });
  });
}

describe('sendMail', () => {
  it('returns not_configured without SMTP_URL, and send_failed when the server is away', async () => {
    const logger = createLogger('silent');
    const message = { to: 'a@example.com', subject: 'Hi', text: 'Hello' };
    expect(await sendMail({ SMTP_URL: undefined, SMTP_FROM: 'x <x@y.z>' }, logger, message)).toEqual({
      ok: false,
      reason: 'not_configured',
    });
    const smtp = await startSmtp();
    const url = smtp.url;
    await smtp.close();
    expect(await sendMail({ SMTP_URL: url, SMTP_FROM: 'x <x@y.z>' }, logger, message)).toEqual({
      ok: false,
      reason: 'send_failed',
    });
  });
});
