import { z } from 'zod';
import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderRateLimitError } from '../errors.ts';
import { parseManifest } from '../manifest.ts';
import type { ProviderModule, PullContext, PullWindow } from '../types.ts';
import { type SandboxDay, sandboxDay } from './generate.ts';

/** Per-connection knobs, so a sandbox connection can show what a slow or rate-limited vendor looks like. */
export const SandboxSettings = z.strictObject({
  /** Simulated latency per window (ms). */
  page_delay_ms: z.number().int().min(0).max(60_000).default(150),
  /** Answer 429 once, on this window index of a run's first attempt. */
  rate_limit_at_window: z.number().int().min(0).optional(),
  /** The Retry-After of that 429, in seconds. */
  retry_after_seconds: z.number().int().min(1).max(3600).default(2),
});
export type SandboxSettings = z.infer<typeof SandboxSettings>;

const series = (name: SeriesTypeName) => findSeriesTypeByName(name)?.id as number;

/** The built-in synthetic vendor: no OAuth, no network; one resource, a day per window. */
const manifest = parseManifest({
  slug: 'sandbox',
  name: 'Sandbox',
  // Never called: the sandbox generates its payloads in-process.
  hosts: { api: 'http://sandbox.invalid' },
  api: { host: 'api', budgets: [], pagination: 'none' },
  sync: {
    window_days: 1,
    historical_days: 30,
    lookback_hours: 0,
    resources: [{ name: 'day', families: ['samples', 'sleep', 'workouts', 'scores'] }],
  },
  capabilities: { pull: true, webhook_ping: false, webhook_push: false },
});

/** A simulated vendor call: latency and an optional 429, as the connection's settings ask. */
async function fetchDay(context: PullContext, window: PullWindow): Promise<SandboxDay> {
  const settings = SandboxSettings.parse(context.settings);
  await new Promise((resolve) => setTimeout(resolve, settings.page_delay_ms));
  if (settings.rate_limit_at_window === context.windowIndex && context.attempt === 1) {
    throw new ProviderRateLimitError(settings.retry_after_seconds);
  }
  return sandboxDay(context.userId, window.fromMs);
}

function mapDay(payload: unknown): CanonicalBatch {
  const day = payload as SandboxDay;
  const batch = emptyBatch();
  const source = new SourceTable(batch).indexOf({
    provider: 'sandbox',
    deviceName: 'Sandbox Watch',
    deviceModel: 'SBX-1',
    deviceType: 'watch',
    appName: 'WearLink Sandbox',
  });
  for (const p of day.heart_rate) {
    batch.samples.push({
      source,
      seriesTypeId: series('heart_rate'),
      startMs: Date.parse(p.time),
      durationMs: 0,
      value: p.bpm,
      utcOffsetMin: 0,
    });
  }
  for (const s of day.steps) {
    const startMs = Date.parse(s.start);
    batch.samples.push({
      source,
      seriesTypeId: series('steps'),
      startMs,
      durationMs: Date.parse(s.end) - startMs,
      value: s.count,
      utcOffsetMin: 0,
    });
  }
  for (const e of day.active_calories) {
    const startMs = Date.parse(e.start);
    batch.samples.push({
      source,
      seriesTypeId: series('energy'),
      startMs,
      durationMs: Date.parse(e.end) - startMs,
      value: e.kcal,
      utcOffsetMin: 0,
    });
  }
  for (const s of day.sleep) {
    batch.sleep.push({
      source,
      startMs: Date.parse(s.start),
      endMs: Date.parse(s.end),
      stage: s.stage,
      externalId: null,
      utcOffsetMin: 0,
    });
  }
  for (const w of day.workouts) {
    const startMs = Date.parse(w.start);
    const endMs = Date.parse(w.end);
    batch.workouts.push({
      source,
      externalId: w.id,
      type: w.sport,
      sourceActivityType: w.sport,
      startMs,
      endMs,
      durationS: (endMs - startMs) / 1000,
      distanceM: w.distance_m,
      energyKcal: w.kcal,
      avgHeartRateBpm: w.avg_hr,
      maxHeartRateBpm: w.max_hr,
      elevationGainM: null,
      steps: null,
      utcOffsetMin: 0,
      statistics: {},
      segments: [],
      metadata: { sandbox: true },
      route: [],
    });
  }
  for (const s of day.scores) {
    batch.scores.push({
      source,
      provider: 'sandbox',
      date: day.date,
      category: s.category,
      score: s.score,
      rangeMin: 0,
      rangeMax: 100,
      components: {},
    });
  }
  return batch;
}

export const sandboxProvider: ProviderModule = {
  manifest,
  pull: {
    fetch: (context, _resource, window) => fetchDay(context, window),
    map: (_resource, payload) => mapDay(payload),
  },
};
