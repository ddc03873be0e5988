import { useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../../api.ts';

/** The shapes of /api/v1/webhooks (see src/webhooks/webhooks.routes.ts). */
export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  /** Empty: every event type. */
  filter_types: string[];
  disabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventType {
  name: string;
  group: string;
  description: string;
}

export interface EventCatalogue {
  data: EventType[];
  /** Group wildcards such as `sync.*`. */
  groups: string[];
}

export interface Attempt {
  id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: string | null;
  delivery_status: 'pending' | 'succeeded' | 'failed';
  created_at: string;
}

export interface AttemptPage {
  data: Attempt[];
  pagination: { next_cursor: string | null; has_more: boolean; total_count: number };
}

export interface Secret {
  key: string;
  previous_key: string | null;
  previous_key_expires_at: string | null;
}

export const endpointsKey = ['webhooks', 'endpoints'] as const;
export const endpointKey = (id: string) => ['webhooks', 'endpoint', id] as const;

export function useEventCatalogue() {
  return useQuery({
    queryKey: ['webhooks', 'event-types'],
    queryFn: () => api.get<EventCatalogue>(apiPath('/webhooks/event-types')),
    // The catalogue changes only with a server release.
    staleTime: 60 * 60_000,
  });
}

/** The filter list as a person reads it. */
export function describeFilters(filters: string[]): string {
  return filters.length === 0 ? 'All events' : filters.join(', ');
}

/** Same rule as the server (event-types.ts): `*` is everything, `x.*` every event starting with `x.`. */
export function filterCovers(filter: string, eventType: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return eventType.startsWith(filter.slice(0, -1));
  return filter === eventType;
}
