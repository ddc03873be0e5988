#!/usr/bin/env node
// Runs WearLink from its TypeScript sources without a build step: at every start esbuild bundles them
// (about 0.1 s, so what runs is never stale) into plain JavaScript beside this checkout's packages,
// and that runs. Against running the sources through a loader (tsx), the server starts with ~95 MiB
// less memory (no loader thread, no per-module transform state) and runs its hot loops unwrapped.
// Where the bundle cannot be written (a read-only install), the sources run through tsx instead.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the checkout, so that the bundle's package imports resolve to its node_modules.
const outdir = join(root, 'node_modules', '.cache', 'wearlink');

async function bundle() {
  const esbuild = await import('esbuild');
  try {
    const { outputFiles } = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [
        { in: 'src/cli/main.ts', out: 'main' },
        // import-export.ts starts its parse worker from './parse-worker.mjs' beside itself: here, this.
        { in: 'src/importers/apple-health/parse-worker.ts', out: 'parse-worker' },
      ],
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      write: false,
      logLevel: 'error',
    });
    await mkdir(outdir, { recursive: true });
    for (const file of outputFiles) {
      const current = await readFile(file.path).catch(() => undefined);
      if (current?.equals(file.contents)) continue;
      // Written whole, then renamed: a process starting at the same time reads the old or the new file.
      const temporary = `${file.path}.${process.pid}.tmp`;
      await writeFile(temporary, file.contents);
      await rename(temporary, file.path);
    }
  } finally {
    await esbuild.stop();
  }
  return join(outdir, 'main.mjs');
}

let entry;
try {
  entry = pathToFileURL(await bundle()).href;
} catch (error) {
  if (!['EACCES', 'EROFS', 'EPERM'].includes(error?.code)) throw error;
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/main.ts', import.meta.url).href;
}
// Stack traces name the TypeScript sources.
process.setSourceMapsEnabled(true);
await import(entry);
