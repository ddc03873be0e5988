import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Config } from '../config/load-config.ts';
import type { AppEnv } from '../http/context.ts';
import { DASHBOARD_DIST } from './build.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Built asset names: content-hashed, flat, nothing that could walk out of web/dist/assets. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)+$/;

/**
 * Where the dashboard may send requests besides its own origin: the places upload URLs point at (the
 * S3 bucket when one is configured, PUBLIC_URL for WearLink's own upload URL when it differs).
 */
export function uploadOrigins(config: Config): string[] {
  const origins = new Set<string>();
  if (config.S3_BUCKET) {
    if (config.S3_ENDPOINT) origins.add(new URL(config.S3_ENDPOINT).origin);
    else {
      origins.add(`https://${config.S3_BUCKET}.s3.${config.S3_REGION}.amazonaws.com`);
      origins.add(`https://s3.${config.S3_REGION}.amazonaws.com`);
    }
  }
  if (config.PUBLIC_URL) origins.add(new URL(config.PUBLIC_URL).origin);
  return [...origins];
}

/**
 * No inline script and no third-party origin: the dashboard loads only its own hashed bundles and talks
 * only to this origin's API (and the upload origins). Styles allow inline attributes (charts size their
 * canvases with them).
 */
function dashboardCsp(config: Config): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ["connect-src 'self'", ...uploadOrigins(config)].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Paths that are never the dashboard's: an unknown one there stays a JSON 404. */
const API_PREFIXES = [
  '/api/',
  '/v1/',
  '/v2/',
  '/sdk/',
  '/connect/',
  '/assets/',
  '/docs',
  '/health',
  '/ready',
  '/metrics',
];

const cache = new Map<string, Buffer>();
async function readBuilt(path: string): Promise<Buffer | undefined> {
  const known = cache.get(path);
  if (known !== undefined) return known;
  try {
    const bytes = await readFile(join(DASHBOARD_DIST, path));
    // index.html is re-read so a rebuild (dev) shows up; hashed assets never change under their name.
    if (path !== 'index.html') cache.set(path, bytes);
    return bytes;
  } catch {
    return undefined;
  }
}

async function indexPage(c: Context<AppEnv>) {
  const html = await readBuilt('index.html');
  if (html === undefined) {
    return c.json(
      { detail: 'The dashboard is not built: run `npm run build:web` (npm start builds it).' },
      503,
    );
  }
  return c.body(new Uint8Array(html), 200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-security-policy': dashboardCsp(c.var.deps.config),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
}

/** True when an unmatched GET is a page of the dashboard's client-side router (a reload or a deep link). */
export function isDashboardPath(path: string, accept: string | undefined): boolean {
  if (API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) {
    return false;
  }
  return (accept ?? '').includes('text/html');
}

/** Serves the built dashboard at `/` (its assets under `/assets/`), same origin as the API. */
export function registerDashboard(app: OpenAPIHono<AppEnv>) {
  app.get('/', indexPage);
  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    if (!ASSET_NAME.test(name)) return c.json({ detail: 'Not found' }, 404);
    const bytes = await readBuilt(join('assets', name));
    if (bytes === undefined) return c.json({ detail: 'Not found' }, 404);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
}

export { indexPage as dashboardIndex };
