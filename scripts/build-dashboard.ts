/**
 * `npm run build:web` (also run by `npm install` as `prepare`, and by `wearlink serve` when the sources
 * changed): builds the dashboard into web/dist and reports its first-load size against the budget.
 */
import { buildDashboard } from '../src/dashboard/build.ts';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
try {
  const result = await buildDashboard({ force: process.argv.includes('--force') });
  const { firstLoad } = result;
  console.log(
    `dashboard: first load ${kib(firstLoad.gzBytes)} gzipped (budget ${kib(firstLoad.budgetGzBytes)}, ` +
      `${Math.round((100 * firstLoad.gzBytes) / firstLoad.budgetGzBytes)} %) in ${firstLoad.files.length} files; ` +
      `all assets ${kib(result.totalGzBytes)} gzipped -> ${result.outDir}`,
  );
} catch (error) {
  console.error(`dashboard build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
