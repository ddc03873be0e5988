import { Command } from 'commander';
import { ConfigError } from '../config/config.ts';
import { type Config, loadConfig } from '../config/load-config.ts';
import { migrateToLatest } from '../db/database.ts';
import { openPlatform, StartupError } from '../platform.ts';
import { startServer, welcomeBanner } from '../server.ts';
import { createLogger, type Logger } from '../shared/logger.ts';

function boot(): { config: Config; logger: Logger } {
  const config = loadConfig();
  return { config, logger: createLogger(config.LOG_LEVEL) };
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

const program = new Command()
  .name('wearlink')
  .description('WearLink: self-hostable wearable health-data platform')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('Run the HTTP API (embedded mode: migrates the database first)')
  .action(() =>
    run(async () => {
      const { config, logger } = boot();
      // Production runs `wearlink migrate` as a release step; embedded mode has no such step.
      const platform = await openPlatform(config, logger, {
        migrations: config.mode === 'embedded' ? 'migrate' : 'require',
      });
      const server = await startServer(platform);
      const resumed = await platform.deps.ingest.recover();
      if (resumed > 0) logger.info({ runs: resumed }, 'resuming interrupted ingest runs');
      process.stdout.write(`${await welcomeBanner(platform, server.url)}\n`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        await server.close();
        await platform.close();
        logger.info('stopped');
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
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

await program.parseAsync(process.argv);
