import type { Context } from 'hono';
import type { AppEnv } from '../../http/context.ts';
import { providerUrls } from '../apps/catalogue.ts';

/**
 * The origin vendors and browsers reach this instance at: PUBLIC_URL, never the request's Host header
 * (which the caller picks). Without PUBLIC_URL, HOST:PORT as configured, with the port actually listened
 * on when PORT=0 (tests), so the callback URL sent to a vendor is one that answers.
 */
export function publicOrigin(c: Context<AppEnv>): string {
  const { config } = c.var.deps;
  if (config.PUBLIC_URL !== undefined) return config.PUBLIC_URL.replace(/\/+$/, '');
  const url = new URL(config.publicUrl);
  if (url.port === '0') {
    const socket = (c.env as { incoming?: { socket?: { localPort?: number } } } | undefined)?.incoming
      ?.socket;
    if (socket?.localPort !== undefined) url.port = String(socket.localPort);
  }
  return url.origin;
}

/**
 * The redirect URI sent to the vendor: the path spec 001 tells developers to register with each vendor
 * (`/v1/providers/{slug}/callback`, also shown by `GET /api/v1/providers`); vendors compare it exactly.
 */
export function callbackUrl(c: Context<AppEnv>, slug: string): string {
  return providerUrls(publicOrigin(c), slug).callback;
}
