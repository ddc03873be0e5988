import { expect, it } from 'vitest';
import { TokenService } from '../../src/auth/tokens.ts';
import { createDeveloperFromCli } from '../../src/developers/cli.ts';
import { createInvite } from '../../src/developers/invites.ts';
import { createDeveloperAccount } from '../../src/developers/registration.ts';
import { describeEachDatabase, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { wearlink } from '../support/processes.ts';

const password = 'a-long-enough-password';
const register = (
  server: TestServer,
  email = `reg-${uniqueSuffix()}@example.com`,
  inviteToken: string | undefined = undefined,
) =>
  server.api.request('POST', '/api/v1/auth/register', {
    json: {
      email,
      password,
      name: 'Reg',
      ...(inviteToken === undefined ? {} : { invite_token: inviteToken }),
    },
  });

/** An account made by the operator (the CLI's code path), and an invite from it for `email`. */
async function inviteFromOperator(server: TestServer, email: string) {
  const { key } = await createDeveloperAccount(server.platform.deps.db, {
    email: `op-${uniqueSuffix()}@example.com`,
    name: 'Operator',
    password,
  });
  const invite = await server.api.request('POST', '/api/v1/developer/invites', {
    auth: { key: key.key },
    json: { email: email.toUpperCase() },
  });
  expect(invite.status, invite.text).toBe(201);
  expect(invite.body.email).toBe(email);
  return { operatorKey: key.key, operatorId: key.developer_id, token: invite.body.invite_token as string };
}

/**
 * `wearlink developer create`: a real CLI process against the server's PostgreSQL schema, or, on PGlite
 * (one process owns the embedded database), the same command's code in this process.
 */
async function createWithCli(server: TestServer, email: string, extra: string[] = []) {
  const { config } = server.platform;
  if (config.mode === 'postgres') {
    const cli = wearlink(['developer', 'create', '--email', email, '--name', 'Operator', ...extra], {
      DATABASE_URL: config.DATABASE_URL ?? '',
      DATABASE_SCHEMA: config.DATABASE_SCHEMA,
      JWT_SECRET: config.jwtSecret,
      ENCRYPTION_KEY: config.encryptionKey,
    });
    const code = await new Promise<number | null>((resolve) => cli.child.on('exit', resolve));
    return { code, output: cli.output() };
  }
  const lines: string[] = [];
  const passwordOption = extra[0] === '--password' && extra[1] ? { password: extra[1] } : {};
  const code = await createDeveloperFromCli(
    server.platform,
    { email, name: 'Operator', ...passwordOption },
    (line) => lines.push(line),
    (line) => lines.push(line),
  );
  return { code, output: lines.join('\n') };
}

describeEachDatabase(
  'REGISTRATION_MODE=closed',
  (ctx) => {
    it('refuses every self-service registration with 403 {detail, code}', async () => {
      const res = await register(ctx());
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        detail: expect.stringMatching(/Registration is closed.*wearlink developer create/),
        code: 'registration_closed',
      });
    });

    it('creates accounts with `wearlink developer create`, whose key and password work', async () => {
      const server = ctx();
      const email = `op-${uniqueSuffix()}@example.com`;
      const created = await createWithCli(server, email);
      expect(created.code, created.output).toBe(0);
      const key = /API key \(shown once, store it now\): (sk-\S+)/.exec(created.output)?.[1];
      const generated = /Dashboard password \(shown once\): (\S+)/.exec(created.output)?.[1];
      expect(key).toBeDefined();
      expect(generated?.length).toBeGreaterThanOrEqual(20);
      const me = await server.api.request('GET', '/api/v1/auth/me', { auth: { key: key ?? '' } });
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(email);
      const login = await server.api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: email, password: generated ?? '' }),
      });
      expect(login.status).toBe(200);

      // A second account with the same email, and a password too short, are refused with a message.
      const again = await createWithCli(server, email, ['--password', 'another-long-password']);
      expect(again.code).toBe(1);
      expect(again.output).toMatch(/already exists/);
      const short = await createWithCli(server, `op-${uniqueSuffix()}@example.com`, ['--password', 'short']);
      expect(short.code).toBe(2);
      expect(short.output).toMatch(/--password: Password must be at least 8 characters/);
    });

    it('admits one account per invite, for its email only, while it lives', async () => {
      const server = ctx();
      const email = `invited-${uniqueSuffix()}@example.com`;
      const { token, operatorId } = await inviteFromOperator(server, email);
      const refused = async (res: Awaited<ReturnType<typeof register>>, detail: RegExp) => {
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: expect.stringMatching(detail), code: 'invite_invalid' });
      };
      await refused(await register(server, `other-${uniqueSuffix()}@example.com`, token), /another email/);
      const { jwtSecret } = server.platform.config;
      const expired = await createInvite(jwtSecret, operatorId, email, -1);
      await refused(await register(server, email, expired.token), /expired/);
      const forged = await createInvite(
        'another-secret-that-is-long-enough-0123456789',
        operatorId,
        email,
        1,
      );
      await refused(await register(server, email, forged.token), /Invalid invite/);
      // Tokens made for other purposes, signed with the same JWT_SECRET, are no invites.
      const sessionToken = await new TokenService(jwtSecret, 600, 600).issue({
        kind: 'developer',
        developerId: operatorId,
      });
      await refused(await register(server, email, sessionToken.access_token), /Invalid invite/);

      const created = await register(server, email, token);
      expect(created.status, created.text).toBe(201);
      expect(created.body.email).toBe(email);
      // Used up: the account exists.
      expect((await register(server, email, token)).status).toBe(409);
    });
  },
  { worker: false, env: { REGISTRATION_MODE: 'closed' } },
);

describeEachDatabase(
  'REGISTRATION_MODE=first',
  (ctx) => {
    it('lets exactly one of several concurrent first registrations through, then refuses', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => register(ctx())));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 403, 403, 403, 403]);
      for (const refused of results.filter((r) => r.status === 403)) {
        expect(refused.body.code).toBe('registration_closed');
      }
      const later = await register(ctx());
      expect(later.status).toBe(403);
      expect(later.body).toEqual({
        detail: expect.stringMatching(/already has its account/),
        code: 'registration_closed',
      });
      // The operator can still add accounts.
      expect((await createWithCli(ctx(), `op-${uniqueSuffix()}@example.com`)).code).toBe(0);
      const count = await ctx()
        .platform.deps.db.selectFrom('developers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(2);
    });

    it('lets an invited address register after the first account', async () => {
      const email = `invited-${uniqueSuffix()}@example.com`;
      expect((await register(ctx(), email)).status).toBe(403);
      const { token } = await inviteFromOperator(ctx(), email);
      expect((await register(ctx(), email, token)).status).toBe(201);
    });
  },
  { worker: false, env: { REGISTRATION_MODE: 'first' } },
);
