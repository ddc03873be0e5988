import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { instanceApp } from '../../../src/providers/apps/instance-app.ts';
import { fitbitProvider } from '../../../src/providers/fitbit/index.ts';
import {
  GOOGLE_CLOUD_PLATFORM_SCOPE,
  readServiceAccountKey,
  ServiceAccountTokenError,
  serviceAccountToken,
} from '../../../src/providers/fitbit/service-account.ts';
import { NO_SERVICE_ACCOUNT_WARNING, subscriberIdFor } from '../../../src/providers/fitbit/subscriptions.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { ProviderAppCredentials } from '../../../src/providers/types.ts';
import {
  type RunningGoogleHealthMock,
  startGoogleHealthMock,
} from '../../support/vendor-mocks/google-health.ts';
import { readBody } from '../../support/vendor-mocks/oauth.ts';
import { app, runtimeFor } from './mock-runtime.ts';

/**
 * The Google service account that authorizes Google Health's project-level subscriber calls: the
 * JWT bearer grant against the mock's token endpoint (which verifies the RS256 signature with the
 * key the test registered), the token cache, the subscriber calls carrying that token, and no call at
 * all (a warning instead) for an app without a service account.
 */

let google: RunningGoogleHealthMock;
let receiver: Server;
let callbackUrl = '';
let seq = 0;
/** A new account (own cache entry) with a key file pointing at the mock's token endpoint. */
const newAccount = () => {
  const email = `wearlink-${++seq}@proj.iam.gserviceaccount.com`;
  const key = google.serviceAccounts.createKey(email, `${google.url}/token`);
  return { email, key, account: readServiceAccountKey(key.path) };
};
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

beforeAll(async () => {
  google = await startGoogleHealthMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  // WearLink's receiver for Google's two verification POSTs: 201 with the secret, 401 without.
  receiver = createServer(async (req, res) => {
    await readBody(req);
    const ok = req.headers.authorization === `Bearer ${app.webhookSecret}`;
    res.writeHead(ok ? 201 : 401).end('{}');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/webhooks/fitbit`;
});
afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await google.close();
});

describe('service-account token (JWT bearer grant)', () => {
  it('mints a cloud-platform token with a signed assertion Google accepts, then serves it from the cache', async () => {
    const { email, account } = newAccount();
    const before = google.serviceAccounts.counts.minted;
    const [a, b] = await Promise.all([serviceAccountToken(account), serviceAccountToken(account)]);
    expect(a).toMatch(/^ya29\.sa-/);
    expect(b).toBe(a);
    expect(await serviceAccountToken(account)).toBe(a);
    expect(google.serviceAccounts.counts.minted - before).toBe(1);
    expect(google.serviceAccounts.tokens.get(a)).toMatchObject({
      clientEmail: email,
      scope: GOOGLE_CLOUD_PLATFORM_SCOPE,
    });
  });

  it('renews once the token is within 60 s of expiry', async () => {
    const { account } = newAccount();
    google.serviceAccounts.tokenTtlSeconds = 60;
    try {
      const first = await serviceAccountToken(account);
      const second = await serviceAccountToken(account);
      expect(second).not.toBe(first);
    } finally {
      google.serviceAccounts.tokenTtlSeconds = 3600;
    }
  });

  it('the assertion names the account, the token URI and an hour at most', async () => {
    const { email, account } = newAccount();
    const { serviceAccountAssertion } = await import('../../../src/providers/fitbit/service-account.ts');
    const [header, claims] = serviceAccountAssertion(account, GOOGLE_CLOUD_PLATFORM_SCOPE, Date.now())
      .split('.')
      .map((p, i) => (i < 2 ? decode(p) : p));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toMatchObject({
      iss: email,
      aud: `${google.url}/token`,
      scope: GOOGLE_CLOUD_PLATFORM_SCOPE,
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('a key Google does not know for the account → invalid_grant (bad signature), no token', async () => {
    const { email, account } = newAccount();
    // Google now holds another public key for this account (the key file's was deleted).
    google.serviceAccounts.register(email, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    const refused = google.serviceAccounts.counts.refused;
    const error = await serviceAccountToken(account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceAccountTokenError);
    expect((error as ServiceAccountTokenError).oauthError).toBe('invalid_grant');
    expect((error as Error).message).toMatch(/Invalid JWT Signature.*FITBIT_SERVICE_ACCOUNT_KEY_FILE/);
    expect(google.serviceAccounts.counts.refused - refused).toBe(1);
    expect(google.serviceAccounts.refusals.at(-1)).toBe('Invalid JWT Signature.');
  });
});

describe('subscriber calls', () => {
  it('with a service account: list and create carry its bearer token; the subscriber is created', async () => {
    const { email, account } = newAccount();
    const withAccount: ProviderAppCredentials = { ...app, serviceAccount: account };
    const http = createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app: withAccount });
    const result = await fitbitProvider.subscriptions!.ensure({
      http,
      app: withAccount,
      callbackUrl,
      existing: undefined,
    });
    const name = `projects/123456789012/subscribers/${subscriberIdFor(callbackUrl)}`;
    expect(result).toMatchObject({ vendorSubscriptionId: name });
    expect(google.subscribers.subscribers.get(name)?.endpointUri).toBe(callbackUrl);
    expect(google.serviceAccounts.calls.filter((c) => c.clientEmail === email).map((c) => c.method)).toEqual([
      'GET',
      'POST',
    ]);

    // Google forgets the token (key revoked): a 401, and the next round mints a new one and succeeds.
    google.serviceAccounts.tokens.clear();
    await expect(
      fitbitProvider.subscriptions!.ensure({ http, app: withAccount, callbackUrl, existing: undefined }),
    ).rejects.toThrow(/401/);
    const minted = google.serviceAccounts.counts.minted;
    await fitbitProvider.subscriptions!.ensure({ http, app: withAccount, callbackUrl, existing: undefined });
    expect(google.serviceAccounts.counts.minted - minted).toBe(1);
  });

  it('the subscriber API refuses a call without a service-account token (401)', async () => {
    const answer = await fetch(`${google.url}/v4/projects/123456789012/subscribers`, {
      headers: { authorization: 'Bearer some-user-token' },
    });
    expect(answer.status).toBe(401);
  });

  it('without a service account (a developer’s own app): no Google call, one warning naming what to create', async () => {
    const warnings: { fields: { code?: string }; message: string }[] = [];
    const logger = {
      warn: (fields: { code?: string }, message: string) => warnings.push({ fields, message }),
    };
    {
      const own: ProviderAppCredentials = { ...app, developerId: 'dev-7' };
      const http = createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app: own });
      const calls = google.serviceAccounts.calls.length + google.serviceAccounts.counts.unauthorized;
      const lists = google.subscribers.counts.list;
      const result = await fitbitProvider.subscriptions!.ensure({
        http,
        app: own,
        callbackUrl,
        existing: undefined,
        logger: logger as never,
      });
      expect(result).toBeUndefined();
      expect(google.serviceAccounts.calls.length + google.serviceAccounts.counts.unauthorized).toBe(calls);
      expect(google.subscribers.counts.list).toBe(lists);
      const mine = warnings.filter((w) => w.fields.code === NO_SERVICE_ACCOUNT_WARNING);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.message).toContain("developer dev-7's fitbit app");
      expect(mine[0]?.message).toContain('projects/123456789012/subscribers');
      expect(mine[0]?.message).toContain(callbackUrl);
      expect(mine[0]?.message).not.toContain(app.webhookSecret);
    }
  });
});

describe('FITBIT_SERVICE_ACCOUNT_KEY_FILE', () => {
  const env = (file: string) => ({
    WEARLINK_DATA_DIR: 'memory://',
    FITBIT_CLIENT_ID: app.clientId,
    FITBIT_SERVICE_ACCOUNT_KEY_FILE: file,
  });

  it('a usable key file gives the instance fitbit app its service account (other vendors none)', () => {
    const { email, key } = newAccount();
    const config = loadConfig({ ...env(key.path), OURA_CLIENT_ID: 'o' });
    expect(instanceApp(config, 'fitbit')?.serviceAccount).toEqual({
      clientEmail: email,
      privateKeyPem: key.privateKeyPem,
      tokenUri: `${google.url}/token`,
    });
    expect(instanceApp(config, 'oura')?.serviceAccount).toBeUndefined();
  });

  it('a missing, non-JSON or incomplete file stops the start with the variable named', () => {
    const { key } = newAccount();
    const broken = `${key.path}.broken`;
    writeFileSync(broken, '{"client_email":"x@y","token_uri":"https://oauth2.googleapis.com/token"}');
    const notJson = `${key.path}.txt`;
    writeFileSync(notJson, 'not json');
    for (const [file, why] of [
      ['/nonexistent/key.json', /cannot be read \(ENOENT\)/],
      [notJson, /is not JSON/],
      [broken, /private_key missing/],
    ] as const) {
      expect(() => loadConfig(env(file))).toThrow(ConfigError);
      expect(() => loadConfig(env(file))).toThrow(why);
      expect(() => loadConfig(env(file))).toThrow(/FITBIT_SERVICE_ACCOUNT_KEY_FILE \(set\)/);
    }
  });
});
