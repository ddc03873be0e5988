import { expect, it } from 'vitest';
import { createDeveloperFromCli } from '../../src/developers/cli.ts';
import { describeEachDatabase, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { wearlink } from '../support/processes.ts';

const password = 'a-long-enough-password';
const register = (server: TestServer, email = `reg-${uniqueSuffix()}@example.com`) =>
  server.api.request('POST', '/api/v1/auth/register', { json: { email, password, name: 'Reg' } });

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
  },
  { worker: false, env: { REGISTRATION_MODE: 'first' } },
);
