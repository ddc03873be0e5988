import type { Platform } from '../../platform.ts';

/** One pass of every developer's retention policy (issue 18). */
export async function runRetentionPass(_platform: Platform): Promise<void> {}

/** Queues the retention pass once per RETENTION_INTERVAL_MINUTES across every process. */
export function scheduleRetention(_platform: Platform): { stop(): void } {
  return { stop() {} };
}
