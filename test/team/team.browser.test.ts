import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkip,
  expectAccessible,
  expectNoProblems,
  launchBrowser,
  openPage,
  screenshot,
  signUpThroughUi,
} from '../dashboard/browser.ts';
import { startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';

describe.skipIf(browserSkip !== undefined)(
  `dashboard team: invite a viewer, who cannot create keys${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    beforeAll(async () => {
      [server, browser] = await Promise.all([startTestServer({ worker: false }), launchBrowser()]);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('invites by link, the viewer joins and sees the team read-only, and is refused keys (UI and API)', async () => {
      const owner = await openPage(browser, server.url);
      await signUpThroughUi(owner.page, {
        name: 'Team Owner',
        email: `owner-${uniqueSuffix()}@example.com`,
        password: 'owner password 1',
      });
      await owner.page.getByRole('button', { name: 'Go to the dashboard' }).click();
      await owner.page.goto('/team');
      await expect.poll(() => owner.page.getByRole('cell', { name: 'Owner', exact: true }).count()).toBe(1);
      const viewerEmail = `viewer-${uniqueSuffix()}@example.com`;
      await owner.page.getByLabel('Email').fill(viewerEmail);
      await owner.page.getByLabel('Role', { exact: true }).selectOption('viewer');
      await owner.page.getByRole('button', { name: 'Send invitation' }).click();
      const link = await owner.page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
      expect(link).toContain('/invitations/accept?token=');
      await expect
        .poll(() => owner.page.getByRole('cell', { name: viewerEmail, exact: true }).count())
        .toBe(1);
      await expectAccessible(owner.page, 'team');
      await screenshot(owner.page, 'team');

      // A new browser: the invitee opens the link.
      const viewer = await openPage(browser, server.url, { width: 375, height: 800 });
      await viewer.page.goto(new URL(link).pathname + new URL(link).search);
      await expect
        .poll(() => viewer.page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Join Team Owner on WearLink');
      await expectAccessible(viewer.page, 'team-accept');
      await screenshot(viewer.page, 'team-accept');
      await viewer.page.getByLabel('Name').fill('Vic Viewer');
      await viewer.page.getByLabel('Password').fill('viewer password 1');
      await viewer.page.getByRole('button', { name: 'Join the team' }).click();
      await viewer.page.waitForURL((url) => url.pathname === '/');

      await viewer.page.goto('/team');
      await expect
        .poll(() => viewer.page.getByRole('cell', { name: viewerEmail, exact: true }).count())
        .toBe(1);
      expect(await viewer.page.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
      expect(await viewer.page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
      await expectAccessible(viewer.page, 'team-viewer');
      await screenshot(viewer.page, 'team-viewer');

      await viewer.page.goto('/credentials');
      await expect
        .poll(() => viewer.page.getByRole('heading', { level: 1, name: 'Credentials' }).count())
        .toBe(1);
      expect(await viewer.page.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
      // And the API refuses it too, with the viewer's own session.
      // (A string, evaluated in the page: this file is type-checked without the DOM's globals.)
      const refused = await viewer.page.evaluate(`(async () => {
        const token = localStorage.getItem('wearlink.session') ?? sessionStorage.getItem('wearlink.session');
        const res = await fetch('/api/v1/developer/api-keys', {
          method: 'POST',
          headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'sneaky' }),
        });
        return { status: res.status, body: await res.json() };
      })()`);
      expect(refused).toEqual({ status: 403, body: { detail: expect.any(String), code: 'role_forbidden' } });

      expectNoProblems(owner);
      expectNoProblems(viewer);
    }, 180_000);
  },
);
