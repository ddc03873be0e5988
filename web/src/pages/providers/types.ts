/** GET /api/v1/providers entries (src/providers/apps/provider-apps.schemas.ts). */
export interface Budget {
  limit: number;
  window_seconds: number;
  used: number;
  resets_at: string | null;
}

export interface CatalogueEntry {
  slug: string;
  name: string;
  kind: 'oauth' | 'sdk' | 'builtin';
  available: boolean;
  is_configured: boolean;
  app_source: 'developer' | 'instance' | null;
  callback_url: string | null;
  webhook_url: string | null;
  developer_portal: string | null;
  historical_days: number | null;
  capabilities: { pull: boolean; webhook_ping: boolean; webhook_push: boolean } | null;
  resources: { name: string; families: string[]; historical_days: number }[] | null;
  budget: Budget[] | null;
}

/** GET /api/v1/developer/providers/{provider}: the app in use, secrets never shown. */
export interface ProviderApp {
  provider: string;
  source: 'developer' | 'instance';
  client_id: string;
  client_secret_set: boolean;
  webhook_secret_set: boolean;
  scopes: string[];
  created_at: string | null;
  updated_at: string | null;
}
