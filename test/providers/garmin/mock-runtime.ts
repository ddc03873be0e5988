import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderAuthError } from '../../../src/providers/errors.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { TokenSet, TokenSource } from '../../../src/providers/types.ts';
import { providerRuntimeFor } from '../../support/provider-runtime.ts';
import { readBody } from '../../support/vendor-mocks/oauth.ts';

/** The app, provider runtime, PKCE connect and a webhook receiver the Garmin tests use with the local mock. */
export const DAY = 86_400_000;
export const app = {
  developerId: null,
  clientId: 'garmin-cid',
  clientSecret: 'garmin-secret',
  webhookSecret: undefined,
  scopes: [],
};

export const runtimeFor = (url: string): ProviderRuntime => providerRuntimeFor('garmin', url);

/** Authorize with an S256 challenge, exchange the code with its verifier; a token source that refreshes. */
export async function connectGarmin(
  url: string,
  verifierOverride?: string,
): Promise<{ source: TokenSource; tokens: () => TokenSet }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://127.0.0.1:9/callback';
  const authorize = await fetch(
    `${url}/oauth2Confirm?response_type=code&client_id=${app.clientId}&code_challenge=${challenge}` +
      `&code_challenge_method=S256&redirect_uri=${encodeURIComponent(redirect)}&state=s1`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const token = async (form: Record<string, string>) => {
    const answer = await fetch(`${url}/di-oauth2-service/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: app.clientId, client_secret: app.clientSecret }),
    });
    if (!answer.ok) throw new ProviderAuthError(`token refused: ${answer.status}`);
    return (await answer.json()) as TokenSet;
  };
  let current = await token({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifierOverride ?? verifier,
    redirect_uri: redirect,
  });
  return {
    tokens: () => current,
    source: {
      current: async () => current,
      refresh: async () => {
        current = await token({ grant_type: 'refresh_token', refresh_token: current.refresh_token ?? '' });
        return current;
      },
    },
  };
}

/** A stand-in for WearLink's webhook endpoint: records what Garmin POSTs; can refuse the first few. */
export interface Receiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: Record<string, unknown[]> }[];
  refuseNext: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver = { received: [], refuseNext: 0 } as unknown as Receiver;
  const server: Server = createServer(async (req, res) => {
    const text = await readBody(req);
    if (receiver.refuseNext > 0) {
      receiver.refuseNext--;
      return void res.writeHead(503).end();
    }
    receiver.received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown[]> });
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/webhooks/garmin`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
