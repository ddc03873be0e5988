import type { Platform } from '../platform.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * How long past SHUTDOWN_TIMEOUT_MS a stop may still take (the steps after the HTTP drain: the job
 * queue, the event bus, the database) before the process exits anyway.
 */
export const SHUTDOWN_EXIT_GRACE_MS = 3000;

/**
 * Stops the process on SIGINT/SIGTERM: `stop` closes what it opened, then the platform. Whatever is
 * still pending (a request that never ends, a write nobody reads, a database that does not answer),
 * the process exits within SHUTDOWN_TIMEOUT_MS + SHUTDOWN_EXIT_GRACE_MS: a supervisor that sent
 * SIGTERM and went away must not leave it running. A second signal exits at once.
 */
export function onSignals(
  platform: Platform,
  logger: Logger,
  stop: () => Promise<void> = async () => {},
): void {
  let stopping = false;
  const handler = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for shutdown');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const limitMs = platform.config.SHUTDOWN_TIMEOUT_MS + SHUTDOWN_EXIT_GRACE_MS;
    // Not unref'd: this timer is what guarantees the exit when a stuck step holds nothing else alive.
    setTimeout(() => {
      logger.error({ signal, limit_ms: limitMs }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, limitMs);
    let code = 0;
    try {
      await stop();
      await platform.close();
      logger.info('stopped');
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void handler('SIGINT'));
  process.on('SIGTERM', () => void handler('SIGTERM'));
}
