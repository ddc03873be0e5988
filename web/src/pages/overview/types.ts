/** GET /api/v1/dashboard/overview (src/dashboard/overview.routes.ts). */
export interface Overview {
  generated_at: string;
  window_start: string;
  users: { total: number; created_in_window: number };
  api_keys: { total: number };
  connections: {
    total: number;
    by_provider: { provider: string; total: number; by_status: Record<string, number> }[];
  };
  sync_runs: {
    total: number;
    by_outcome: Record<'succeeded' | 'partial' | 'failed' | 'cancelled' | 'running' | 'queued', number>;
  };
  webhooks: {
    endpoints: { total: number; enabled: number; disabled: number; failing: number };
    deliveries: { total: number; delivered: number; failed: number; pending: number; retrying: number };
  };
  nutrition: { day: string; plan: string; limit: number | null; used: number; resets_at: string };
}
