import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../../src/webhooks/signing.ts';
import { browserSkip, CHROMIUM_PATH } from '../../dashboard/browser.ts';
import { SYNTHETIC_EXPORT } from '../../importers/synthetic-export.ts';
import { startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';

/**
 * The SDK in a real browser (Debian's Chromium): bundled by esbuild from its sources with no Node
 * shims, run in a page on the server's origin. Covers the browser-only paths: the XMLHttpRequest upload
 * of a Blob with progress, the sync stream over fetch, Web Crypto webhook verification.
 */
describe.skipIf(browserSkip !== undefined)(
  `TypeScript SDK in Chromium${browserSkip ? ` (skipped: ${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let bundle: string;
    beforeAll(async () => {
      server = await startTestServer();
      const result = await build({
        entryPoints: ['sdks/typescript/src/index.ts'],
        bundle: true,
        write: false,
        format: 'iife',
        globalName: 'WearLinkSDK',
        platform: 'browser',
        target: 'chrome120',
      });
      bundle = result.outputFiles[0]!.text;
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('uploads a Blob with progress, follows a sync stream and verifies a webhook, in the browser', async () => {
      expect(bundle).not.toMatch(/require\("node:|from "node:/);
      const dev = await server.api.registerDeveloper();
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      // A blank page on the server's own origin (same-origin calls, as the dashboard makes them).
      await page.route(`${server.url}/sdk-browser-test`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>SDK</title>' }),
      );
      await page.goto(`${server.url}/sdk-browser-test`);
      await page.addScriptTag({ content: bundle });

      const secret = `whsec_${Buffer.from('browser test secret 0123').toString('base64')}`;
      const body = JSON.stringify({ type: 'webhook.test', data: { hello: 'browser' } });
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = signatureHeader([secret], 'msg_browser', timestamp, body);

      const result = await page.evaluate(
        async ({ baseUrl, apiKey, xml, secret, body, signed, timestamp }) => {
          const sdk = (globalThis as any).WearLinkSDK;
          const client = new sdk.WearLink({ baseUrl, apiKey });
          const user = await client.users.create({ first_name: 'Browser' });
          const progress: number[] = [];
          const blob = new Blob([xml], { type: 'text/xml' });
          const upload = await client.imports.uploadAppleExport(user.id, blob, {
            filename: 'export.xml',
            onProgress: (sent: number) => progress.push(sent),
          });

          const connection = await client.connections.create(user.id, {
            provider: 'sandbox',
            settings: { page_delay_ms: 0 },
          });
          const stages: string[] = [];
          const started = await client.sync.trigger({ connection_id: connection.id });
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no completed event')), 30_000);
            const sub = client.sync.stream(user.id, {
              onEvent: (event: any) => {
                if (event.run_id !== started.job_id) return;
                stages.push(event.stage);
                if (event.stage === 'completed') {
                  clearTimeout(timer);
                  sub.close();
                  resolve();
                }
              },
            });
          });

          const headers = new Headers({
            'webhook-id': 'msg_browser',
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signed,
          });
          const verified = await new sdk.WebhookVerifier(secret).verify(body, headers);
          let tampered = '';
          try {
            await new sdk.WebhookVerifier(secret).verify(body.replace('browser', 'Browser'), headers);
          } catch (e) {
            tampered = (e as Error).name;
          }
          let notFound: any;
          try {
            await client.users.get('00000000-0000-4000-8000-000000000000');
          } catch (e) {
            notFound = { name: (e as Error).name, status: (e as any).status, detail: (e as any).detail };
          }
          return {
            userId: user.id,
            upload,
            progress,
            size: blob.size,
            stages,
            verified: verified.payload,
            tampered,
            notFound,
          };
        },
        { baseUrl: server.url, apiKey: dev.key, xml: SYNTHETIC_EXPORT, secret, body, signed, timestamp },
      );

      expect(result.upload.status).toBe('queued');
      expect(result.progress.at(-1)).toBe(result.size);
      const run = await waitForRun(server.api, { key: dev.key }, result.userId, result.upload.run_id);
      expect(run).toMatchObject({ stage: 'completed', source: 'xml_import' });
      expect(result.stages).toContain('completed');
      expect(result.verified).toEqual({ type: 'webhook.test', data: { hello: 'browser' } });
      expect(result.tampered).toBe('WebhookVerificationError');
      expect(result.notFound).toMatchObject({ name: 'NotFoundError', status: 404 });
      expect(problems).toEqual([]);
    });
  },
);
