import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Platform } from '../../platform.ts';
import type { ImportProgress } from './import-export.ts';

function bar(p: ImportProgress): string {
  const fraction = p.bytes_total > 0 ? Math.min(1, p.bytes_read / p.bytes_total) : 0;
  const width = 30;
  const filled = Math.round(fraction * width);
  const seconds = p.elapsed_ms / 1000;
  const rate = seconds > 0 ? p.records / seconds : 0;
  const mbps = seconds > 0 ? p.bytes_read / 1024 / 1024 / seconds : 0;
  const eta = fraction > 0 && fraction < 1 ? Math.round(seconds / fraction - seconds) : 0;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ` +
    `${mb(p.bytes_read)}/${mb(p.bytes_total)} MB  ${Math.round(rate)} records/s  ${mbps.toFixed(1)} MB/s  ETA ${eta}s`
  );
}

/**
 * `wearlink import apple <file> --user <id>`: imports a local export in this process, recorded as a
 * sync run like an upload, with a progress bar on stderr. Returns the process exit code.
 */
export async function importAppleFromCli(platform: Platform, file: string, userId: string): Promise<number> {
  const { db } = platform.deps;
  // Not a UUID: no user (PostgreSQL would refuse the comparison itself).
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId);
  const user = !uuid
    ? undefined
    : await db
        .selectFrom('users')
        .select(['id', 'developer_id'])
        .where('id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
  if (user === undefined) {
    process.stderr.write(`wearlink: no user ${userId}\n`);
    return 1;
  }
  // Imports an earlier `wearlink import` (or a worker) left behind when it was killed end here, with
  // the reason, rather than staying unfinished: importing the file again is what completes them.
  const reaped = await platform.deps.appleImports.reapInterruptedImports();
  for (const runId of reaped.failed) {
    process.stderr.write(`wearlink: run ${runId} was interrupted earlier; marked failed\n`);
  }
  const path = resolve(file);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    process.stderr.write(
      `wearlink: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}\n`,
    );
    return 1;
  }
  const tty = process.stderr.isTTY;
  let last = 0;
  const runId = await platform.deps.appleImports.importLocalFile(
    { developerId: user.developer_id, userId, path, bytes: size, fileName: basename(path) },
    (p) => {
      const now = Date.now();
      if (now - last < (tty ? 200 : 5000)) return;
      last = now;
      process.stderr.write(tty ? `\r${bar(p)}` : `${bar(p)}\n`);
    },
    (runId) => process.stderr.write(`Importing ${basename(path)} as run ${runId}\n`),
  );
  const run = await db.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  if (tty) process.stderr.write('\n');
  process.stdout.write(`${run.status}: ${run.message} (run ${runId})\n`);
  if (run.status === 'failed') process.stdout.write(`${JSON.stringify(run.error)}\n`);
  else process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
  return run.status === 'failed' ? 1 : 0;
}
