import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local vendor for the webhook tests: Oura's subscription admin API (app credentials in
 * `x-client-id`/`x-client-secret`; creation first runs the GET challenge against the callback and fails
 * unless it is echoed; subscriptions expire and are renewed by id) and one data route the targeted pulls
 * fetch (`/objects/{resource}/{id}`, bearer token required), and Withings' per-user `/notify`. Counts
 * every call; `failNext` makes the next subscription calls fail (500, or Withings' in-body status).
 */
export interface MockVendor {
  url: string;
  calls: {
    create: number;
    renew: number;
    objects: string[];
    challengeAnswers: unknown[];
    /** Withings-style `/notify` calls: action, callback, the probe's status, the bearer token. */
    notify: { action: string; callbackurl: string; probe?: number; token: string }[];
  };
  subscriptions: Map<string, { callbackUrl: string; clientId: string; expiresAt: Date }>;
  /** Subscription calls still to refuse with 500. */
  failNext(count: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

export async function startMockVendor(options: {
  apps: Record<string, string>;
  expiryDays: number;
}): Promise<MockVendor> {
  const calls: MockVendor['calls'] = { create: 0, renew: 0, objects: [], challengeAnswers: [], notify: [] };
  const subscriptions: MockVendor['subscriptions'] = new Map();
  let failures = 0;
  const expiry = () => new Date(Date.now() + options.expiryDays * 86_400_000);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const body = await readBody(req);
    if (url.pathname.startsWith('/objects/')) {
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? ''))
        return send(res, 401, { detail: 'no token' });
      calls.objects.push(url.pathname.slice('/objects/'.length));
      return send(res, 200, { id: url.pathname.split('/').pop() });
    }
    if (url.pathname === '/notify') {
      // Withings: per-user subscriptions with the user's token, HTTP 200 with a status in the body; a
      // subscribe first probes the callback with HEAD and refuses it unless it answers 2xx.
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined) return send(res, 200, { status: 401, error: 'invalid_token' });
      if (failures > 0) {
        failures -= 1;
        return send(res, 200, { status: 2554, error: 'Unknown action' });
      }
      const form = new URLSearchParams(body);
      const entry = { action: form.get('action') ?? '', callbackurl: form.get('callbackurl') ?? '', token };
      if (entry.action === 'subscribe') {
        const probe = await fetch(entry.callbackurl, { method: 'HEAD' });
        calls.notify.push({ ...entry, probe: probe.status });
        if (!probe.ok) return send(res, 200, { status: 293, error: 'callback unreachable' });
      } else calls.notify.push(entry);
      return send(res, 200, { status: 0, body: {} });
    }
    if (!url.pathname.startsWith('/v2/webhook/subscription')) return send(res, 404, { detail: 'no route' });
    const clientId = String(req.headers['x-client-id'] ?? '');
    if (options.apps[clientId] === undefined || options.apps[clientId] !== req.headers['x-client-secret'])
      return send(res, 401, { detail: 'invalid client credentials' });
    if (failures > 0) {
      failures -= 1;
      return send(res, 500, { detail: 'temporarily unavailable' });
    }
    const renew = /^\/v2\/webhook\/subscription\/renew\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'PUT' && renew) {
      const subscription = subscriptions.get(renew[1] as string);
      if (subscription === undefined) return send(res, 404, { detail: 'unknown subscription' });
      calls.renew += 1;
      subscription.expiresAt = expiry();
      return send(res, 200, { id: renew[1], expiration_time: subscription.expiresAt.toISOString() });
    }
    if (req.method === 'POST' && url.pathname === '/v2/webhook/subscription') {
      const input = JSON.parse(body) as { callback_url: string; verification_token: string };
      // Oura checks the callback before it creates anything: the challenge must come back.
      const challenge = randomBytes(8).toString('hex');
      const check = new URL(input.callback_url);
      check.searchParams.set('verification_token', input.verification_token);
      check.searchParams.set('challenge', challenge);
      const answer = await fetch(check);
      const echoed = (await answer.json().catch(() => undefined)) as { challenge?: string } | undefined;
      calls.challengeAnswers.push({ status: answer.status, body: echoed });
      if (answer.status !== 200 || echoed?.challenge !== challenge)
        return send(res, 400, { detail: 'callback_url did not answer the verification challenge' });
      calls.create += 1;
      const id = randomBytes(6).toString('hex');
      subscriptions.set(id, { callbackUrl: input.callback_url, clientId, expiresAt: expiry() });
      return send(res, 201, {
        id,
        callback_url: input.callback_url,
        expiration_time: subscriptions.get(id)?.expiresAt.toISOString(),
      });
    }
    return send(res, 405, { detail: 'method not allowed' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    subscriptions,
    failNext: (count) => {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
