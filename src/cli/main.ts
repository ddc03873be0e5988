import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { verifyAuditFromCli } from '../audit/verify.ts';
import { ConfigError } from '../config/config.ts';
import { type Config, loadConfig } from '../config/load-config.ts';
import { rotateSecretsFromCli } from '../crypto/cli.ts';
import { migrateToLatest } from '../db/database.ts';
import { type CreateDeveloperOptions, createDeveloperFromCli } from '../developers/cli.ts';
import { importAppleFromCli } from '../importers/apple-health/cli.ts';
import { openPlatform, type Platform, StartupError } from '../platform.ts';
import { startServer, welcomeBanner } from '../server.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { installProcessSafetyNet, startScheduler, startSyncWorker } from '../sync/workers.ts';
import { startWebhookDelivery } from '../webhooks/delivery.ts';
import { checkEventSharing } from './event-topology.ts';
import { stdoutDestination } from './log-destination.ts';
import { onSignals } from './shutdown.ts';

function boot(): { config: Config; logger: Logger } {
  // A closed stderr (its reader gone) must not turn a warning into an uncaught EPIPE.
  process.stderr.on('error', () => {});
  const config = loadConfig();
  // V8 lets the old generation grow to ~4× its live size between full collections when they are
  // cheap: an export of 2M samples (~35 MB live) peaked at +160 MB RSS. A smaller growth factor keeps
  // the resident set near what is live at no measurable cost (bench:export, 37.5 s vs 39 s). V8 reads
  // this flag at every full collection, so setting it here, before any work, applies to the process.
  if (config.HEAP_GROWING_PERCENT > 0)
    setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
  return { config, logger: createLogger(config.LOG_LEVEL, stdoutDestination()) };
}

/** Known start-up failures end with one readable message and exit code 1, not a stack trace. */
async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`wearlink: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** A one-shot command on an opened platform: its result is the exit code; the platform is always closed. */
function runWithPlatform(action: (platform: Platform) => Promise<number>): Promise<void> {
  return run(async () => {
    const { config, logger } = boot();
    const platform = await openPlatform(config, logger, {
      migrations: config.mode === 'embedded' ? 'migrate' : 'require',
    });
    let code = 1;
    try {
      code = await action(platform);
    } finally {
      await platform.close();
    }
    process.exitCode = code;
  });
}

/** `npm start` serves the dashboard with no extra command: built here when web/dist is missing or stale. */
async function ensureDashboardBuilt(logger: Logger): Promise<void> {
  try {
    const { buildDashboard } = await import('../dashboard/build.ts');
    const result = await buildDashboard();
    logger.debug({ firstLoadGzBytes: result.firstLoad.gzBytes }, 'dashboard ready');
  } catch (error) {
    // A production image may ship web/dist without its sources; the API serves either way.
    logger.warn({ err: error }, 'dashboard not rebuilt; serving what web/dist holds');
  }
}

const program = new Command()
  .name('wearlink')
  .description('WearLink: self-hostable wearable health-data platform')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description(
    'Run the HTTP API, a sync worker and the scheduler (embedded mode: migrates the database first)',
  )
  .option('--no-worker', 'do not run sync jobs in this process')
  .option('--no-scheduler', 'do not start scheduled syncs from this process')
  .action((options: { worker: boolean; scheduler: boolean }) =>
    run(async () => {
      const { config, logger } = boot();
      checkEventSharing(config, logger, options.worker ? 'all-in-one' : 'api');
      // Production runs `wearlink migrate` as a release step; embedded mode has no such step.
      const platform = await openPlatform(config, logger, {
        migrations: config.mode === 'embedded' ? 'migrate' : 'require',
      });
      installProcessSafetyNet(logger);
      await ensureDashboardBuilt(logger);
      const server = await startServer(platform);
      if (options.worker) await startSyncWorker(platform);
      const webhooks = options.worker ? startWebhookDelivery(platform) : undefined;
      const scheduler = options.scheduler ? startScheduler(platform) : undefined;
      process.stdout.write(`${await welcomeBanner(platform, server.url)}\n`);
      onSignals(platform, logger, async () => {
        scheduler?.stop();
        await server.close();
        await webhooks?.stop();
      });
    }),
  );

program
  .command('worker')
  .description('Run sync jobs only (no HTTP); start as many as you like against the same database')
  .action(() =>
    run(async () => {
      const { config, logger } = boot();
      checkEventSharing(config, logger, 'worker');
      const platform = await openPlatform(config, logger, {
        migrations: config.mode === 'embedded' ? 'migrate' : 'require',
      });
      installProcessSafetyNet(logger);
      await startSyncWorker(platform);
      const webhooks = startWebhookDelivery(platform);
      process.stdout.write(
        `WearLink worker running (${config.SYNC_WORKER_CONCURRENCY} concurrent jobs). Stop with Ctrl+C.\n`,
      );
      onSignals(platform, logger, () => webhooks.stop());
    }),
  );

program
  .command('scheduler')
  .description('Start scheduled syncs only (no HTTP, no jobs)')
  .action(() =>
    run(async () => {
      const { config, logger } = boot();
      checkEventSharing(config, logger, 'scheduler');
      const platform = await openPlatform(config, logger, { migrations: 'require' });
      const scheduler = startScheduler(platform);
      process.stdout.write('WearLink scheduler running. Stop with Ctrl+C.\n');
      onSignals(platform, logger, async () => scheduler.stop());
    }),
  );

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(() =>
    run(async () => {
      const { config, logger } = boot();
      const platform = await openPlatform(config, logger, { migrations: 'skip' });
      try {
        const { results } = await migrateToLatest(platform.database);
        const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
        process.stdout.write(
          applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n',
        );
      } finally {
        await platform.close();
      }
    }),
  );

program
  .command('import')
  .description('Import data from a local file')
  .command('apple <file>')
  .description('Import an Apple Health export (export.zip or export.xml) for a user, with a progress bar')
  .requiredOption('--user <id>', 'the WearLink user id to import into')
  .action((file: string, options: { user: string }) =>
    runWithPlatform((platform) => importAppleFromCli(platform, file, options.user)),
  );

program
  .command('developer')
  .description('Manage developer accounts')
  .command('create')
  .description(
    'Create a developer account and its default API key, whatever REGISTRATION_MODE says (embedded mode: with the server stopped)',
  )
  .requiredOption('--email <email>', "the account's email (its login)")
  .requiredOption('--name <name>', "the account's display name")
  .option('--password <password>', 'dashboard password (default: a generated one, printed once)')
  .action((options: CreateDeveloperOptions) =>
    runWithPlatform((platform) => createDeveloperFromCli(platform, options)),
  );

program
  .command('secrets')
  .description('Manage the secrets WearLink stores encrypted with ENCRYPTION_KEY')
  .command('rotate')
  .description(
    'Re-seal every stored secret under the current ENCRYPTION_KEY (the old key in ENCRYPTION_KEY_PREVIOUS), so the old key can be dropped',
  )
  .action(() => runWithPlatform((platform) => rotateSecretsFromCli(platform)));

program
  .command('audit')
  .description('Check the audit log')
  .command('verify')
  .description(
    "Walk every developer's audit trail (or one) and check its hash chain: exits 1 naming the first changed, removed or inserted row",
  )
  .option('--developer <id>', 'check only this developer')
  .action((options: { developer?: string }) =>
    runWithPlatform((platform) => verifyAuditFromCli(platform.deps.db, options)),
  );

program
  .command('mcp')
  .description(
    'Serve the MCP tools on stdio for a local AI agent, over a WearLink reached by HTTP (WEARLINK_URL, default http://127.0.0.1:8000; WEARLINK_API_KEY)',
  )
  .action(async () => {
    const { serveMcpOverStdio } = await import('../mcp/stdio.ts');
    process.exitCode = await serveMcpOverStdio();
  });

await program.parseAsync(process.argv);
