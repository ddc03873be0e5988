import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_EXIT_GRACE_MS } from '../../src/cli/shutdown.ts';
import { ApiClient } from '../support/harness.ts';

const bin = join(import.meta.dirname, '../../bin/wearlink.mjs');
const SHUTDOWN_TIMEOUT_MS = 1500;
/** Process start-up of the signal handler and the OS reaping the child: generous, but far below a hang. */
const SLACK_MS = 4000;

/**
 * Issue 15, finding 10: a `serve` that had served a workload, whose stdout reader stopped reading or
 * went away at the moment it got SIGTERM, stayed alive for good. Real processes, real pipes.
 */
describe('wearlink serve exits on SIGTERM whatever its stdout reader does', () => {
  it.each(['stalled', 'closed'] as const)(
    'stdout reader %s while logging a workload: exits within SHUTDOWN_TIMEOUT_MS plus the grace',
    async (reader) => {
      const child = spawn(process.execPath, [bin, 'serve', '--no-scheduler'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          WEARLINK_DATA_DIR: 'memory://',
          PORT: '0',
          HOST: '127.0.0.1',
          // Every request writes an access-log line: the workload fills the pipe.
          LOG_LEVEL: 'info',
          SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      let stdout = '';
      let stderr = '';
      const onData = (d: Buffer) => {
        stdout += d;
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      try {
        const deadline = Date.now() + 30_000;
        let match: RegExpExecArray | null = null;
        while (match === null) {
          match = /running at (http:\/\/\S+)/.exec(stdout);
          if (match) break;
          if (Date.now() > deadline || child.exitCode !== null)
            throw new Error(`no start: ${stdout}${stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const api = new ApiClient(match[1] as string);
        const dev = await api.registerDeveloper();
        await api.createUser(dev.key);
        // Each request logs its URL: 8 KB of query makes every access-log line a big one.
        const pad = 'x'.repeat(8000);
        const workload = (n: number) =>
          Promise.all(
            Array.from({ length: n }, (_, i) =>
              fetch(`${api.baseUrl}/api/v1/users?limit=${1 + (i % 50)}&pad=${pad}`, {
                headers: { 'X-API-Key': dev.key },
              })
                .then((r) => r.text())
                .catch(() => undefined),
            ),
          );
        await workload(50);

        if (reader === 'stalled') {
          // The pipe stays open and nobody drains it (a parent frozen, or gone with the pipe inherited).
          child.stdout.off('data', onData);
          child.stdout.pause();
        } else {
          // The reader gone: every write after this is EPIPE.
          child.stdout.destroy();
          child.stderr.destroy();
        }
        // More log output than a pipe or socket buffer holds (~2.4 MB), some still in flight at the signal.
        const more = workload(300);
        await new Promise((r) => setTimeout(r, 300));
        const started = Date.now();
        child.kill('SIGTERM');
        const result = await Promise.race([
          exited,
          new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000)),
        ]);
        const elapsed = Date.now() - started;
        expect(result, stderr).not.toBe('hung');
        // A clean stop (exit code 0): neither the stall nor the broken pipe crashed or hung the shutdown.
        expect(result, stderr).toEqual({ code: 0, signal: null });
        expect(elapsed, stderr).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SHUTDOWN_EXIT_GRACE_MS + SLACK_MS);
        expect(stderr).not.toMatch(/EPIPE|Uncaught|Error:/);
        await more;
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
    60_000,
  );
});
