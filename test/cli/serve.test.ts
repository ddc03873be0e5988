import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/harness.ts';

const bin = join(import.meta.dirname, '../../bin/wearlink.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'wearlink-cli-'));
const baseEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  WEARLINK_DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
};

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...baseEnv, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function startServe(): Promise<{
  child: ChildProcess;
  url: string;
  banner: string;
  exited: Promise<number | null>;
}> {
  const proc = run(['serve']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /running at (http:\/\/[^\s]+)/.exec(proc.output().stdout);
    if (match?.[1] && proc.output().stdout.includes('Stop with Ctrl+C')) {
      return { child: proc.child, url: match[1], banner: proc.output().stdout, exited: proc.exited };
    }
    if (proc.child.exitCode !== null) throw new Error(`serve exited: ${proc.output().stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`serve did not start: ${JSON.stringify(proc.output())}`);
}

describe('wearlink CLI (embedded mode, a real process)', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on first run with guidance, keeps data across a graceful restart', async () => {
    const first = await startServe();
    expect(first.banner).toContain('No developer account yet');
    expect(first.banner).toContain('/api/v1/auth/register');
    expect(first.banner).toContain(`embedded PGlite database in ${dataDir}`);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

    const api = new ApiClient(first.url);
    const dev = await api.registerDeveloper('Persistent');
    const user = await api.createUser(dev.key, { first_name: 'Kept', email: 'kept@example.com' });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServe();
    try {
      expect(second.banner).not.toContain('No developer account yet');
      const api2 = new ApiClient(second.url);
      // Same secrets after restart: the old API key still works and logins issue valid sessions.
      const fetched = await api2.request('GET', `/api/v1/users/${user.id}`, { auth: { key: dev.key } });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ first_name: 'Kept', email: 'kept@example.com' });
      const form = new FormData();
      form.set('username', dev.email);
      form.set('password', dev.password);
      expect((await api2.request('POST', '/api/v1/auth/login', { body: form })).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  it('migrate reports an up-to-date database', async () => {
    const proc = run(['migrate']);
    expect(await proc.exited).toBe(0);
    expect(proc.output().stdout).toMatch(/up to date|Applied/);
  });

  it('fails at boot with a message naming the bad variable', async () => {
    const proc = run(['serve'], { PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('PORT');
    expect(proc.output().stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });
});

describe('split processes on PostgreSQL without Redis (issue 15 #12)', () => {
  // Nothing listens on port 1: a process that passes the check fails next, on the database.
  const postgresEnv = {
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    JWT_SECRET: 'j'.repeat(40),
    ENCRYPTION_KEY: 'e'.repeat(40),
  };

  it.each(['worker', 'scheduler', 'serve --no-worker'])(
    '`%s` refuses to start: its events would never reach the API’s streams',
    async (command) => {
      const proc = run(command.split(' '), postgresEnv);
      expect(await proc.exited).toBe(1);
      const { stderr } = proc.output();
      expect(stderr).toContain('REDIS_URL is not set');
      expect(stderr).toContain('ALLOW_SPLIT_WITHOUT_REDIS');
      expect(stderr).not.toContain('Cannot open the database'); // refused before connecting
    },
  );

  it('starts (warning) when ALLOW_SPLIT_WITHOUT_REDIS accepts the loss, and a single serve warns', async () => {
    const worker = run(['worker'], { ...postgresEnv, ALLOW_SPLIT_WITHOUT_REDIS: 'true' });
    expect(await worker.exited).toBe(1);
    expect(worker.output().stdout).toContain('allowed by ALLOW_SPLIT_WITHOUT_REDIS');
    expect(worker.output().stderr).toContain('Cannot open the database');

    const serve = run(['serve'], postgresEnv);
    expect(await serve.exited).toBe(1);
    expect(serve.output().stdout).toContain('sync events stay in this process');
    expect(serve.output().stderr).toContain('Cannot open the database');
  });
});
