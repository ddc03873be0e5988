/** Shapes of the API answers the users pages read (see the OpenAPI document at /api/v1/openapi.json). */

export interface User {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
  timezone: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserList {
  data: User[];
  pagination: {
    next_cursor: string | null;
    has_more: boolean;
    total_count: number;
    page: number;
    limit: number;
  };
}

export interface Connection {
  id: string;
  user_id: string;
  provider: string;
  status: 'active' | 'revoked' | 'error' | 'reauth_required';
  connected_at: string;
  last_synced_at: string | null;
  next_sync_at: string | null;
  schedule: string | null;
  schedule_enabled: boolean;
}

export interface DataExport {
  export_id: string;
  user_id: string;
  run_id: string | null;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  size_bytes: number | null;
  download_url: string | null;
  expires_at: string | null;
  downloaded_at: string | null;
  created_at: string;
  completed_at: string | null;
}

/** The name as people read it; the API stores first and last name apart. */
export function displayName(user: Pick<User, 'first_name' | 'last_name'>): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/** A user's label anywhere a name is expected: name, else email, else external id, else the id. */
export function userLabel(user: User): string {
  return displayName(user) || user.email || user.external_id || user.id;
}

/** "Ada King Lovelace" -> first "Ada", last "King Lovelace"; blank -> both null. */
export function splitName(name: string): { first_name: string | null; last_name: string | null } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return { first_name: null, last_name: null };
  const space = trimmed.indexOf(' ');
  return space < 0
    ? { first_name: trimmed, last_name: null }
    : { first_name: trimmed.slice(0, space), last_name: trimmed.slice(space + 1) };
}

/** YYYY-MM-DD of the local day `daysAgo` days before today. */
export function localDate(daysAgo = 0): string {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
