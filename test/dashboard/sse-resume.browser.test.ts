import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { browserSkip, launchBrowser, openPage, screenshot, signUpThroughUi } from './browser.ts';

/**
 * The Live syncs panel over a link that dies mid-sync: the browser talks to the server through a TCP
 * proxy, which drops every connection (the SSE stream included) while a month-long sandbox sync runs.
 * The panel must say it is reconnecting, resume with Last-Event-ID, and end with exactly the server's
 * events: none twice, none missing.
 */
describe.skipIf(browserSkip !== undefined)(
  `dashboard live syncs: resume after the stream is cut${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let proxy: TcpProxy;
    beforeAll(async () => {
      [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
      proxy = await startTcpProxy({ host: '127.0.0.1', port: server.server.port });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await proxy?.close();
      await server?.close();
    });

    it('shows Reconnecting, then resumes with every event exactly once', async () => {
      const watched = await openPage(browser, `http://127.0.0.1:${proxy.port}`);
      const { page } = watched;
      const key = await signUpThroughUi(page, {
        name: 'Stream',
        email: `stream-${uniqueSuffix()}@example.com`,
        password: 'correct horse battery',
      });
      const auth = { key };
      const user = await server.api.createUser(key, { first_name: 'Cut', last_name: 'Stream' });
      const connection = await server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
        auth,
        json: { provider: 'sandbox' },
      });
      expect(connection.status, connection.text).toBe(201);

      await page.goto(`/syncs?user=${user.id}`);
      await page.getByText('Live', { exact: true }).waitFor();
      const started = await server.api.request(
        'POST',
        `/api/v1/providers/sandbox/users/${user.id}/sync/historical`,
        { auth },
      );
      expect(started.status, started.text).toBe(202);
      const runId = started.body.run_id ?? started.body.job_id;
      const rows = page.locator('[data-event-id]');
      await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);

      proxy.cut();
      await page.getByText('Reconnecting…').waitFor({ timeout: 30_000 });
      await screenshot(page, 'syncs-reconnecting');
      await page.waitForTimeout(700); // the run goes on meanwhile
      proxy.restore();
      await page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });

      // The server's log of this run, oldest first, once the run has ended.
      const serverEvents = async () => {
        const res = await server.api.request('GET', `/api/v1/users/${user.id}/sync/recent?limit=200`, {
          auth,
        });
        return (res.body as { event_id: string; run_id: string; stage: string }[]).filter(
          (e) => e.run_id === runId,
        );
      };
      await expect
        .poll(async () => (await serverEvents()).some((e) => ['completed', 'failed'].includes(e.stage)), {
          timeout: 120_000,
        })
        .toBe(true);
      const expected = (await serverEvents()).map((e) => e.event_id).sort();
      expect(expected.length).toBeGreaterThan(10);
      await expect
        .poll(
          async () =>
            (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-event-id')))).length,
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThanOrEqual(expected.length);
      const shown = (await rows.evaluateAll((els) =>
        els.map((el) => el.getAttribute('data-event-id')),
      )) as string[];
      expect(new Set(shown).size, 'an event shown twice').toBe(shown.length);
      const shownOfRun = shown.filter((id) => expected.includes(id)).sort();
      expect(shownOfRun, 'events missing from the panel').toEqual(expected);
      await screenshot(page, 'syncs-resumed');

      // Chromium logs the dropped stream itself (net::ERR_…); anything else is a real problem.
      const problems = watched.problems.filter((p) => !/net::ERR_|Failed to load resource/.test(p));
      expect(problems).toEqual([]);
      await watched.context.close();
    }, 300_000);
  },
);
