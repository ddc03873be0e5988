import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Shared helpers for benchmarks: a real `wearlink serve` child process and peak-memory readings. */

export const repoRoot = join(import.meta.dirname, '..');

/** Peak resident set (VmHWM) of a process, in MiB; Linux only. */
export function peakRssMiB(pid: number = process.pid): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Resident set now (VmRSS) of a process, in MiB; Linux only. */
export function rssMiB(pid: number = process.pid): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `wearlink serve` as its own process, with the flags in BENCH_SERVER_NODE_ARGS
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a benchmark's server time goes).
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'bin/wearlink.mjs'), 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    // A server that dies mid-benchmark says why here, not as a bare ECONNRESET in the client.
    if (!stopping) process.stderr.write(`\nserver exited (${signal ?? code}):\n${out.slice(-4000)}\n`);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
    if (url) {
      return {
        url,
        child,
        stop: () =>
          new Promise((resolve) => {
            stopping = true;
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

export async function json(url: string, init: RequestInit & { key?: string } = {}): Promise<any> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('X-WearLink-API-Key', init.key);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The PostgreSQL the benchmarks use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local default. */
export const benchPgUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export async function pgReachable(url = benchPgUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` with the environment of a WearLink on a fresh, migrated PostgreSQL schema, dropped
 * afterwards together with pg-boss's `<schema>_pgboss`.
 */
export async function withPostgresSchema<T>(
  prefix: string,
  env: Record<string, string>,
  fn: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const full = { DATABASE_URL: benchPgUrl, DATABASE_SCHEMA: schema, ...env };
  try {
    const migrate = spawnSync(process.execPath, [join(repoRoot, 'bin/wearlink.mjs'), 'migrate'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...full },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`wearlink migrate failed: ${migrate.stderr}${migrate.stdout}`);
    return await fn(full);
  } finally {
    const admin = new pg.Client({ connectionString: benchPgUrl });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.query(`drop schema if exists "${schema}_pgboss" cascade`);
    } finally {
      await admin.end();
    }
  }
}

/** Registers a developer and creates one user over HTTP; returns the API key and the user id. */
export async function registerBenchUser(url: string): Promise<{ key: string; userId: string }> {
  const dev = await json(`${url}/api/v1/auth/register`, {
    method: 'POST',
    body: JSON.stringify({
      email: `bench-${randomBytes(4).toString('hex')}@example.com`,
      password: 'bench-password',
      name: 'Bench',
    }),
  });
  const key: string = dev.api_key.key;
  const user = await json(`${url}/api/v1/users`, { method: 'POST', key, body: JSON.stringify({}) });
  return { key, userId: user.id };
}

/** Records per SDK batch of the ingest benchmarks. */
export const BATCH = 10_000;
/** The instant of a benchmark batch's first record: batch i starts at T0 + i · BATCH seconds. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * SDK batch `index` of bench:ingest and bench:embedded-memory: BATCH records, heart rate and steps
 * alternating one second apart, from one watch.
 */
export function sdkBatchBody(index: number): string {
  const source = { deviceName: 'Apple Watch', deviceModel: 'Watch7,1', deviceType: 'watch' };
  const records = Array.from({ length: BATCH }, (_, i) => {
    const t = T0 + (index * BATCH + i) * 1000;
    const start = new Date(t).toISOString();
    return i % 2 === 0
      ? {
          type: 'HKQuantityTypeIdentifierHeartRate',
          startDate: start,
          endDate: start,
          value: 55 + (i % 60),
          unit: 'count/min',
          source,
        }
      : {
          type: 'HKQuantityTypeIdentifierStepCount',
          startDate: start,
          endDate: new Date(t + 1000).toISOString(),
          value: i % 9,
          unit: 'count',
          source,
        };
  });
  return JSON.stringify({
    provider: 'apple',
    sdkVersion: '1.0.0',
    data: { records, workouts: [], sleep: [] },
  });
}

// ---------------------------------------------------------------------------------------------------
// CPU seconds (other benchmarks share the 2 cores: CPU time says more than wall time then)

/** User + system CPU seconds a process (all its threads) has used so far; Linux only. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of the PostgreSQL backends serving a process's connections: its sockets' local ports,
 * found through /proc, are the `client_port`s of pg_stat_activity. Backends that ended before (pool
 * connections closed when idle) are not counted.
 */
export async function postgresCpuSeconds(pid: number): Promise<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const link = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (inode !== undefined) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9] as string)) {
        ports.push(Number.parseInt((cols[1] as string).split(':')[1] as string, 16));
      }
    }
  }
  const client = new pg.Client({ connectionString: benchPgUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where client_port = any($1::int[])',
      [ports],
    );
    return rows.reduce((sum, row) => sum + cpuSeconds(row.pid), 0);
  } finally {
    await client.end();
  }
}
