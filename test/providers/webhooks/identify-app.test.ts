import { describe, expect, it } from 'vitest';
import type { InboundRequest, ProviderAppCredentials } from '../../../src/providers/types.ts';
import { identifyApp } from '../../../src/providers/webhooks/verify.ts';

const app = (clientId: string, webhookSecret?: string): ProviderAppCredentials => ({
  developerId: `dev-${clientId}`,
  clientId,
  clientSecret: 'cs',
  webhookSecret,
  scopes: [],
});
const request = (headers: Record<string, string>, query: Record<string, string> = {}): InboundRequest => ({
  method: 'POST',
  headers,
  query,
  body: new Uint8Array(),
});

describe('unsigned vendors: which app a delivery is for', () => {
  const garmin = {
    scheme: 'client_id_header',
    header: 'garmin-client-id',
    secret_query: 'key',
    why: '',
  } as const;
  const apps = [app('open-client'), app('guarded-client', 's3cret')];

  it('takes the app its client-id header names, and refuses a missing or unknown one', () => {
    expect(identifyApp(garmin, request({ 'garmin-client-id': 'open-client' }), apps)).toMatchObject({
      ok: true,
      app: { developerId: 'dev-open-client' },
    });
    expect(identifyApp(garmin, request({}), apps)).toMatchObject({ ok: false, code: 'unknown_app' });
    expect(identifyApp(garmin, request({ 'garmin-client-id': 'someone-else' }), apps)).toMatchObject({
      ok: false,
      code: 'unknown_app',
    });
  });

  it('asks an app with a webhook secret for it in the URL: client ids are public', () => {
    const headers = { 'garmin-client-id': 'guarded-client' };
    expect(identifyApp(garmin, request(headers), apps)).toMatchObject({ ok: false, code: 'invalid_secret' });
    expect(identifyApp(garmin, request(headers, { key: 'wrong' }), apps)).toMatchObject({
      ok: false,
      code: 'invalid_secret',
    });
    expect(identifyApp(garmin, request(headers, { key: 's3cret' }), apps)).toMatchObject({
      ok: true,
      app: { developerId: 'dev-guarded-client' },
    });
  });

  it('matches an echoed shared secret, bare or as a bearer token', () => {
    const google = { scheme: 'shared_secret_header', header: 'Authorization', bearer_prefix: true } as const;
    const withSecrets = [app('a', 'alpha'), app('b', 'beta')];
    expect(identifyApp(google, request({ authorization: 'Bearer beta' }), withSecrets)).toMatchObject({
      ok: true,
      app: { developerId: 'dev-b' },
    });
    expect(identifyApp(google, request({ authorization: 'alpha' }), withSecrets)).toMatchObject({
      ok: true,
      app: { developerId: 'dev-a' },
    });
    expect(identifyApp(google, request({ authorization: 'Bearer gamma' }), withSecrets)).toMatchObject({
      ok: false,
      code: 'invalid_secret',
    });
    expect(identifyApp(google, request({}), withSecrets)).toMatchObject({
      ok: false,
      code: 'invalid_secret',
    });
  });
});
