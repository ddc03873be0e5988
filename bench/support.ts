import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/wearlink.mjs'), 'serve'], {
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
