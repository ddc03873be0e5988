import { SERIES_FAMILIES, SERIES_TYPES } from '../catalog/series-types.ts';

/**
 * The webhook event catalogue. Names are stable API: subscribers filter on them, and a group wildcard
 * (`workout.*`, `series.*`, `metrics.*`) matches every event whose name starts with the group.
 */
export interface EventTypeInfo {
  name: string;
  group: string;
  description: string;
}

const fixed: EventTypeInfo[] = [
  { name: 'workout.created', group: 'workout', description: 'A workout session was stored for a user.' },
  {
    name: 'sleep.created',
    group: 'sleep',
    description: 'A sleep session was stored (or rebuilt as a new session).',
  },
  { name: 'connection.created', group: 'connection', description: 'A user connected a provider.' },
  { name: 'connection.revoked', group: 'connection', description: 'A provider connection was revoked.' },
  { name: 'sync.started', group: 'sync', description: 'A sync run started processing.' },
  { name: 'sync.completed', group: 'sync', description: 'A sync run finished (status success or partial).' },
  { name: 'sync.failed', group: 'sync', description: 'A sync run failed.' },
  { name: 'sync.cancelled', group: 'sync', description: 'A sync run was cancelled.' },
  {
    name: 'nutrition.log.created',
    group: 'nutrition',
    description: 'A meal photo was accepted and awaits recognition.',
  },
  {
    name: 'nutrition.log.recognized',
    group: 'nutrition',
    description: 'Recognition finished: items and macros are ready.',
  },
  { name: 'nutrition.log.corrected', group: 'nutrition', description: 'The user corrected a logged item.' },
  {
    name: 'export.completed',
    group: 'export',
    description:
      "A user's data export is ready: data {export_id, user_id, download_url, expires_at} (the link is single-use).",
  },
  {
    name: 'endpoint.disabled',
    group: 'endpoint',
    description: 'One of your webhook endpoints was disabled after failing persistently.',
  },
];

export const EVENT_TYPES: readonly EventTypeInfo[] = [
  ...fixed,
  ...SERIES_FAMILIES.map((family) => ({
    name: familyEventType(family),
    group: 'metrics',
    description: `New samples of any ${family} series type were stored (one event per ingest chunk).`,
  })),
  ...SERIES_TYPES.map((t) => ({
    name: seriesEventType(t.name),
    group: 'series',
    description: `New ${t.name} samples (${t.unit}) were stored: count and time range per ingest chunk.`,
  })),
];

const names = new Set(EVENT_TYPES.map((t) => t.name));

export function seriesEventType(seriesTypeName: string): string {
  return `series.${seriesTypeName}.created`;
}

export function familyEventType(family: string): string {
  return `metrics.${family}.created`;
}

/** Sent by `POST /webhooks/endpoints/{id}/test` to that endpoint only, whatever its filters. */
export const TEST_EVENT_TYPE = 'webhook.test';

export function isWildcard(filter: string): boolean {
  return filter === '*' || filter.endsWith('.*');
}

/** The same rule as the SQL in outbox.ts, for validation and tests. */
export function filterMatches(filter: string, eventType: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return eventType.startsWith(filter.slice(0, -1));
  return filter === eventType;
}

/** A filter is valid when it names a catalogued event or is a wildcard that matches at least one. */
export function isValidFilter(filter: string): boolean {
  if (names.has(filter)) return true;
  return isWildcard(filter) && EVENT_TYPES.some((t) => filterMatches(filter, t.name));
}

/** The wildcard groups worth offering: each first segment, and the series/metrics second level. */
export function eventGroups(): string[] {
  const groups = new Set<string>();
  for (const t of EVENT_TYPES) groups.add(`${t.name.split('.')[0]}.*`);
  return [...groups].sort();
}
