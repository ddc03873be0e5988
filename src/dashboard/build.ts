import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/**
 * The checkout's web/ directory, found by walking up from this module: the sources run from
 * src/dashboard, the bundled CLI (bin/wearlink.mjs) from node_modules/.cache/wearlink.
 */
function findWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
    const parent = dirname(dir);
    if (parent === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
    dir = parent;
  }
}

/** The dashboard's sources and where its built assets go (served by src/dashboard/static.ts). */
export const WEB_ROOT = findWebRoot();
export const DASHBOARD_DIST = join(WEB_ROOT, 'dist');
const SOURCE_DIR = join(WEB_ROOT, 'src');
const STAMP_FILE = 'build-stamp.json';

/**
 * First-load budget, gzipped: the entry chunk, the chunks it imports statically and its CSS. React 19 +
 * ReactDOM are ~58 KB of it; pages and the chart library (uPlot) are split out and load on demand.
 */
export const FIRST_LOAD_BUDGET_GZ_BYTES = 120 * 1024;

export interface DashboardBuild {
  outDir: string;
  firstLoad: { files: string[]; gzBytes: number; budgetGzBytes: number };
  totalGzBytes: number;
}

/** A hash of every source file: the build is redone only when it changes. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        hash
          .update(relative(SOURCE_DIR, path))
          .update('\0')
          .update(await readFile(path));
    }
  };
  await walk(SOURCE_DIR);
  hash.update(await readFile(join(WEB_ROOT, 'index.html')));
  return hash.digest('hex');
}

function firstLoadFiles(metafile: Metafile, entry: string): string[] {
  const files = new Set<string>();
  const visit = (output: string) => {
    if (files.has(output)) return;
    files.add(output);
    const meta = metafile.outputs[output];
    if (meta?.cssBundle) files.add(meta.cssBundle);
    for (const imported of meta?.imports ?? [])
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  return [...files];
}

/**
 * Builds the dashboard with esbuild (code-split ESM, minified, content-hashed names) into web/dist and
 * checks the first-load budget. Skips the work when web/dist was built from the same sources.
 *
 * @example
 *   const result = await buildDashboard();
 *   console.log(`${result.firstLoad.gzBytes} B gzipped on first load`);
 */
export async function buildDashboard(options: { force?: boolean } = {}): Promise<DashboardBuild> {
  const hash = await sourceHash();
  const stampPath = join(DASHBOARD_DIST, STAMP_FILE);
  if (!options.force) {
    const stamp = await readFile(stampPath, 'utf8')
      .then((text) => JSON.parse(text) as DashboardBuild & { hash: string })
      .catch(() => undefined);
    if (stamp?.hash === hash) return stamp;
  }
  await rm(DASHBOARD_DIST, { recursive: true, force: true });
  const assetsDir = join(DASHBOARD_DIST, 'assets');
  await mkdir(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: { main: join(SOURCE_DIR, 'main.tsx') },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const metafile = result.metafile;
  // Lazily imported pages are entry points of their own in a split build: find main.tsx's.
  const mainSource = join(SOURCE_DIR, 'main.tsx');
  const entry = Object.keys(metafile.outputs).find((output) => {
    const point = metafile.outputs[output]?.entryPoint;
    return point !== undefined && resolve(point) === mainSource && output.endsWith('.js');
  });
  if (entry === undefined) throw new Error('dashboard build produced no entry chunk');
  const css = metafile.outputs[entry]?.cssBundle;
  const toUrl = (output: string) => `/${relative(DASHBOARD_DIST, resolve(output)).split('\\').join('/')}`;
  const template = await readFile(join(WEB_ROOT, 'index.html'), 'utf8');
  const html = template
    .replace('<!--css-->', css ? `<link rel="stylesheet" href="${toUrl(css)}">` : '')
    .replace('<!--js-->', `<script type="module" src="${toUrl(entry)}"></script>`);
  await writeFile(join(DASHBOARD_DIST, 'index.html'), html);

  const gz = async (output: string) => gzipSync(await readFile(output), { level: 9 }).byteLength;
  const first = firstLoadFiles(metafile, entry);
  let firstGz = gzipSync(html).byteLength;
  for (const file of first) firstGz += await gz(file);
  let totalGz = 0;
  for (const output of Object.keys(metafile.outputs)) totalGz += await gz(output);
  const summary: DashboardBuild = {
    outDir: DASHBOARD_DIST,
    firstLoad: {
      files: ['index.html', ...first.map((f) => toUrl(f).slice(1))],
      gzBytes: firstGz,
      budgetGzBytes: FIRST_LOAD_BUDGET_GZ_BYTES,
    },
    totalGzBytes: totalGz,
  };
  if (firstGz > FIRST_LOAD_BUDGET_GZ_BYTES) {
    throw new Error(
      `dashboard first load is ${(firstGz / 1024).toFixed(1)} KiB gzipped, over its ${FIRST_LOAD_BUDGET_GZ_BYTES / 1024} KiB budget`,
    );
  }
  await writeFile(stampPath, JSON.stringify({ ...summary, hash }, null, 2));
  return summary;
}
