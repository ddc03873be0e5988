import type { Config } from '../config/load-config.ts';
import { StartupError } from '../platform.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * What a `wearlink` process is, for the sync events it publishes and serves: `all-in-one` serves the
 * API and runs the jobs (`serve`), `api` serves without running jobs (`serve --no-worker`), `worker`
 * and `scheduler` publish without serving.
 */
export type ProcessRole = 'all-in-one' | 'api' | 'worker' | 'scheduler';

/**
 * Sync events reach SSE clients of other processes only through Redis: without REDIS_URL each process
 * keeps its own in-memory log. On PostgreSQL, where the API and the workers may be separate
 * processes, that silently cut every worker's events off from the API's streams (issue 15 #12). So the
 * split roles refuse to start without Redis unless ALLOW_SPLIT_WITHOUT_REDIS acknowledges the loss,
 * and an all-in-one `serve` warns that it must stay the only node. Embedded mode is one process.
 */
export function checkEventSharing(config: Config, logger: Logger, role: ProcessRole): void {
  if (config.mode !== 'postgres' || config.REDIS_URL !== undefined) return;
  if (role === 'all-in-one') {
    logger.warn(
      'REDIS_URL is not set: sync events stay in this process. Run a single `wearlink serve` node, or set ' +
        'REDIS_URL before adding API nodes or `wearlink worker` processes, or their events are lost.',
    );
    return;
  }
  const what =
    role === 'api'
      ? '`serve --no-worker` would never see the sync events its workers publish'
      : `\`wearlink ${role}\` would publish sync events that no API process ever sees`;
  if (config.ALLOW_SPLIT_WITHOUT_REDIS) {
    logger.warn(`REDIS_URL is not set: ${what} (allowed by ALLOW_SPLIT_WITHOUT_REDIS)`);
    return;
  }
  throw new StartupError(
    `REDIS_URL is not set: ${what}, so live sync events would be lost between processes. ` +
      'Set REDIS_URL (shared by every API node and worker), run one `wearlink serve` with its worker, ' +
      'or set ALLOW_SPLIT_WITHOUT_REDIS=true to accept that.',
  );
}
