import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildDashboard, FIRST_LOAD_BUDGET_GZ_BYTES } from '../../src/dashboard/build.ts';
import { uploadOrigins } from '../../src/dashboard/static.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';

describe('dashboard assets', () => {
  let server: TestServer;
  beforeAll(async () => {
    await buildDashboard();
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('builds within its first-load budget', async () => {
    const result = await buildDashboard();
    expect(result.firstLoad.gzBytes).toBeGreaterThan(40 * 1024); // React is in it: not an empty bundle
    expect(result.firstLoad.gzBytes).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZ_BYTES);
  });

  it('serves the app at / with a strict CSP, and its hashed assets as immutable', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /<script type="module" src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\/main-[A-Z0-9]+\.js$/);
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers deep links with the app, and unknown API paths and assets with JSON 404s', async () => {
    const deep = await fetch(`${server.url}/users/123`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    for (const path of ['/api/v1/nope', '/assets/..%2Fpackage.json', '/assets/missing-ABC.js']) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ detail: 'Not found' });
    }
    expect((await fetch(`${server.url}/docs`)).headers.get('content-type')).toContain('text/html');
  });

  it('lets the page upload to the S3 bucket and to PUBLIC_URL, and nowhere else', () => {
    const base = {
      WEARLINK_DATA_DIR: 'memory://',
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEY: 'y'.repeat(40),
    };
    expect(uploadOrigins(loadConfig(base))).toEqual([]);
    expect(
      uploadOrigins(
        loadConfig({
          ...base,
          S3_BUCKET: 'exports',
          S3_ACCESS_KEY_ID: 'a',
          S3_SECRET_ACCESS_KEY: 'b',
          S3_ENDPOINT: 'http://127.0.0.1:9000/minio',
          PUBLIC_URL: 'https://wearlink.example.com/',
        }),
      ),
    ).toEqual(['http://127.0.0.1:9000', 'https://wearlink.example.com']);
    expect(
      uploadOrigins(
        loadConfig({
          ...base,
          S3_BUCKET: 'exports',
          S3_ACCESS_KEY_ID: 'a',
          S3_SECRET_ACCESS_KEY: 'b',
          S3_REGION: 'eu-west-1',
        }),
      ),
    ).toEqual(['https://exports.s3.eu-west-1.amazonaws.com', 'https://s3.eu-west-1.amazonaws.com']);
  });
});
