import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import type { AppleImportService } from '../importers/apple-health/import-service.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { Logger } from '../shared/logger.ts';
import type { SyncEventBus } from '../sync/event-bus.ts';
import type { JobQueue } from '../sync/job-queue.ts';
import type { SyncRunRecorder } from '../sync/run-recorder.ts';
import type { SyncEngine } from '../sync/sync-engine.ts';
import type { RateLimiter } from './rate-limit.ts';

/** A team role: the owner (the tenant's own account), admins (everything but the owner), viewers (read only). */
export type Role = 'owner' | 'admin' | 'viewer';

/**
 * Who is calling. A developer acts on their whole tenant (`developerId`, which every data table is keyed
 * by) as `accountId` (the tenant itself, or a team member) with `role`; API keys act as the tenant with
 * role admin. An SDK token acts on exactly one user.
 */
export type Principal =
  | {
      kind: 'developer';
      developerId: string;
      accountId: string;
      role: Role;
      via: 'api_key';
      apiKeyId: string;
    }
  | { kind: 'developer'; developerId: string; accountId: string; role: Role; via: 'jwt' }
  | { kind: 'sdk'; developerId: string; userId: string };

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  rateLimiter: RateLimiter;
  ingest: IngestService;
  events: SyncEventBus;
  runs: SyncRunRecorder;
  sync: SyncEngine;
  appleImports: AppleImportService;
  /** The durable job queue (vendor webhooks are stored and queued in one transaction before their 2xx). */
  queue: JobQueue;
  /** Seals and opens secrets at rest (OAuth tokens, client and webhook secrets). */
  secrets: SecretBox;
  /** The Redis client when REDIS_URL is set (the admin system page reads its INFO). */
  redis?: Redis | undefined;
  /** Readiness checks beyond the database (e.g. Redis). */
  readinessChecks: Record<string, () => Promise<void>>;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    principal: Principal;
  };
};
