import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningMockOAuth, startMockOAuthServer } from '../../support/vendor-mocks/oauth.ts';

// The shared vendor OAuth mock behaves like a real authorization server: the platform's tests and five
// vendor mocks lean on it, so its own rules are pinned here.

let mock: RunningMockOAuth | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const callback = 'http://127.0.0.1:1/cb';

async function authorize(m: RunningMockOAuth, extra: Record<string, string> = {}): Promise<URL> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'cid',
    redirect_uri: callback,
    state: 's1',
    scope: 'a b',
    ...extra,
  });
  const res = await fetch(`${m.url}/oauth/authorize?${q}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

function token(m: RunningMockOAuth, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${m.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

describe('mock OAuth server', () => {
  it('issues a single-use code, checks client auth and rotates refresh tokens', async () => {
    mock = await startMockOAuthServer({ clientId: 'cid', clientSecret: 'sec', clientAuth: 'body' });
    const back = await authorize(mock);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code') ?? '';
    const form = { grant_type: 'authorization_code', code, redirect_uri: callback, client_id: 'cid' };
    expect((await token(mock, { ...form, client_secret: 'wrong' })).status).toBe(401);
    // The failed attempt did not consume the code; a correct one does.
    const ok = await token(mock, { ...form, client_secret: 'sec' });
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as { access_token: string; refresh_token: string };
    expect((await token(mock, { ...form, client_secret: 'sec' })).status).toBe(400);

    const refresh = { grant_type: 'refresh_token', client_id: 'cid', client_secret: 'sec' };
    const r1 = await token(mock, { ...refresh, refresh_token: tokens.refresh_token });
    const rotated = (await r1.json()) as { refresh_token: string };
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const replay = await token(mock, { ...refresh, refresh_token: tokens.refresh_token });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(mock.provider.counts).toMatchObject({ authorize: 1, code: 3, refresh: 2 });
  });

  it('checks PKCE S256 and Basic client auth; denies with error', async () => {
    mock = await startMockOAuthServer({
      clientId: 'cid',
      clientSecret: 'sec',
      clientAuth: 'basic',
      pkce: 'required',
    });
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const noPkce = await authorize(mock);
    expect(noPkce.searchParams.get('error')).toBe('invalid_request');
    const back = await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' });
    const basic = `Basic ${Buffer.from('cid:sec').toString('base64')}`;
    const form = {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: callback,
    };
    const wrong = await token(mock, { ...form, code_verifier: 'x'.repeat(50) }, { authorization: basic });
    expect(wrong.status).toBe(400);
    mock.provider.denyNext();
    const denied = await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('s1');
  });

  it('answers the Withings way: HTTP 200 with {status, body}', async () => {
    mock = await startMockOAuthServer({
      clientId: 'cid',
      clientSecret: 'sec',
      clientAuth: 'body',
      tokenResponse: 'withings',
      rotationGraceMs: 60_000,
      tokenExtras: (g) => ({ userid: Number(g.userId.replace(/\D/g, '')) }),
    });
    const back = await authorize(mock);
    const form = {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: callback,
      client_id: 'cid',
      client_secret: 'sec',
    };
    const missingAction = await token(mock, form);
    expect(missingAction.status).toBe(200);
    expect(await missingAction.json()).toMatchObject({ status: 503 });
    const ok = await token(mock, { ...form, action: 'requesttoken' });
    const first = (await ok.json()) as { status: number; body: { refresh_token: string } };
    expect(first).toMatchObject({ status: 0, body: { userid: 1, access_token: expect.any(String) } });

    // Rotation with grace: the old refresh token still works until the new access token is used.
    const refresh = {
      action: 'requesttoken',
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'sec',
    };
    const old = first.body.refresh_token;
    expect(await (await token(mock, { ...refresh, refresh_token: old })).json()).toMatchObject({ status: 0 });
    expect(await (await token(mock, { ...refresh, refresh_token: old })).json()).toMatchObject({ status: 0 });
    expect(mock.provider.grantOfAccessToken(mock.provider.grants[0]?.accessToken as string)).toBeDefined();
    expect(await (await token(mock, { ...refresh, refresh_token: old })).json()).toMatchObject({
      status: 503,
    });
  });
});
