import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A new PGlite database starts from a tarball of a freshly initialised data directory, made once by a
 * short-lived child process and kept beside this checkout's packages. PGlite's own initdb runs inside
 * the opening process: a second PGlite instance plus the initdb module, whose WebAssembly memories the
 * process keeps (a `wearlink serve` on a new data directory peaked at 811 MiB RSS and idled at 512 MiB,
 * against 409/396 MiB reopening the same directory; a bare PGlite: HWM 806 MiB after initdb, 365 MiB
 * loading this tarball). PGlite's initdb produces exactly such a tarball itself (dumpDataDir('none'),
 * then extracted into the new data directory), so a database loaded from it is the one initdb makes.
 * Bonus: each in-memory test database no longer runs initdb (7–27 s each under load).
 */
const require = createRequire(import.meta.url);
const pgliteEntry = require.resolve('@electric-sql/pglite');
const pgliteVersion: string = JSON.parse(
  readFileSync(join(dirname(pgliteEntry), '..', 'package.json'), 'utf8'),
).version;
/** node_modules/.cache/wearlink, where bin/wearlink.mjs writes its bundle. */
const cacheDir = join(dirname(pgliteEntry), '..', '..', '..', '.cache', 'wearlink');

/** `initdb OUT`: writes a fresh data directory's tarball; `load TAR DIR`: makes DIR a database from one. */
const CHILD = `
const { PGlite } = require(process.argv[1]);
const { readFileSync, writeFileSync } = require('node:fs');
const [mode, path, dataDir] = process.argv.slice(2);
(async () => {
  if (mode === 'initdb') {
    const pg = await PGlite.create();
    writeFileSync(path, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
    await pg.close();
  } else {
    await (await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(path)]) })).close();
  }
})().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;

function pgliteChild(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, pgliteEntry, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`PGlite ${args[0]} failed (${signal ?? code}): ${stderr}`)),
    );
  });
}

/**
 * Makes `dataDir` (PGlite's data directory, absent or empty) a new database from the template, in a child
 * process: the opening process then only reopens it, and never holds the tarball (a fresh `wearlink
 * serve` loading it itself idled at 386–406 MiB, 115 MiB of them garbage ArrayBuffers an idle process
 * does not collect; reopening: 271 MiB).
 */
export async function createPgliteDataDir(dataDir: string): Promise<void> {
  const path = await templatePathOnce();
  try {
    await pgliteChild('load', path, dataDir);
  } finally {
    if (path.endsWith('.tmp')) rmSync(path, { force: true });
  }
}

let making: Promise<string> | undefined;

/**
 * The fresh data directory tarball for this PGlite version (made on first use); pass as `loadDataDir`.
 * Read anew for each in-memory database, never kept: it is 40 MB.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const path = await templatePathOnce();
  const bytes = await readFile(path);
  if (path.endsWith('.tmp')) rmSync(path, { force: true });
  return new Blob([bytes]);
}

function templatePathOnce(): Promise<string> {
  making ??= templatePath().finally(() => {
    making = undefined;
  });
  return making;
}

/** The cached tarball, made if missing; or, where the cache cannot be written, a temporary one. */
async function templatePath(): Promise<string> {
  const cached = join(cacheDir, `pglite-${pgliteVersion}-pgdata.tar`);
  if (existsSync(cached)) return cached;
  let dir = cacheDir;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    dir = tmpdir(); // a read-only install: made for this database only
  }
  // Written whole, then renamed: processes starting together read a complete file, or make their own.
  const temporary = join(dir, `pglite-pgdata.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await pgliteChild('initdb', temporary);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  if (dir !== cacheDir) return temporary;
  renameSync(temporary, cached);
  return cached;
}
