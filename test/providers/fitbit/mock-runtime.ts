import { createHash, randomBytes } from 'node:crypto';
import { ProviderAuthError } from '../../../src/providers/errors.ts';
import { GOOGLE_HEALTH_SCOPES } from '../../../src/providers/fitbit/manifest.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { PullContext, TokenSet, TokenSource, VendorHttp } from '../../../src/providers/types.ts';
import { providerRuntimeFor } from '../../support/provider-runtime.ts';

/** The app, runtime and OAuth helper the Fitbit (Google Health) tests call the local mock with (no database). */
export const DAY = 86_400_000;
export const app = {
  developerId: null,
  clientId: '123456789012-wearlink.apps.googleusercontent.com',
  clientSecret: 'gh-secret',
  webhookSecret: 'gh-webhook-secret',
  scopes: [],
};

export const runtimeFor = (url: string): ProviderRuntime => providerRuntimeFor('fitbit', url);

/** Connects a mock user the way the OAuth flow does (authorize with PKCE → code → token). */
export async function connect(
  baseUrl: string,
  approve: (userId: string) => void,
  userId: string,
): Promise<TokenSource> {
  approve(userId);
  const redirect = 'http://127.0.0.1:9/callback';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = await fetch(
    `${baseUrl}/o/oauth2/v2/auth?client_id=${encodeURIComponent(app.clientId)}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=${challenge}&code_challenge_method=S256&access_type=offline&prompt=consent&scope=${encodeURIComponent(GOOGLE_HEALTH_SCOPES.join(' '))}`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const token = async (form: Record<string, string>) => {
    const answer = await fetch(`${baseUrl}/token`, {
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
    redirect_uri: redirect,
    code_verifier: verifier,
  });
  const refreshToken = current.refresh_token ?? '';
  return {
    current: async () => current,
    refresh: async () => {
      // Google's refresh tokens are stable: the answer carries no new one.
      current = {
        ...(await token({ grant_type: 'refresh_token', refresh_token: refreshToken })),
        refresh_token: refreshToken,
      };
      return current;
    },
  };
}

export function contextFor(http: VendorHttp): PullContext {
  return {
    userId: 'u',
    providerUserId: null,
    settings: {},
    windowIndex: 0,
    attempt: 1,
    cursorMs: undefined,
    http,
  };
}
