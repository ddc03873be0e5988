import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, apiPath } from '../../api.ts';
import { Button, ErrorNote, Field, Loading } from '../../ui.tsx';
import { ConfirmDialog } from '../credentials/confirm-dialog.tsx';
import type { CatalogueEntry, ProviderApp } from './types.ts';
import { webhookSecretFields } from './vendor-fields.ts';

/**
 * The developer's own app with a vendor (PUT/DELETE /api/v1/developer/providers/{provider}). Secrets are
 * write-only: an empty secret field keeps the stored one, so saving a new client id alone is refused
 * by the API (client_secret_required) and says so.
 */
export function AppForm(props: { entry: CatalogueEntry }) {
  const { entry } = props;
  const queryClient = useQueryClient();
  const appPath = apiPath(`/developer/providers/${entry.slug}`);
  const current = useQuery({
    queryKey: ['provider-app', entry.slug],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<ProviderApp>(appPath, { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    // No app at all (the catalogue says so): nothing to fetch, and no 404 in the console.
    enabled: entry.app_source !== null,
  });
  const app = entry.app_source === null ? null : current.data;
  const own = app?.source === 'developer' ? app : undefined;
  const webhookField = webhookSecretFields[entry.slug];
  const [clientId, setClientId] = useState<string>();
  const [clientSecret, setClientSecret] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [removing, setRemoving] = useState(false);
  const clientIdValue = clientId ?? own?.client_id ?? '';

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['provider-app', entry.slug] });
    await queryClient.invalidateQueries({ queryKey: ['providers'] });
  };

  if (entry.app_source !== null && current.isPending)
    return <Loading label={`Loading your ${entry.name} app…`} />;
  if (entry.app_source !== null && current.isError)
    return <ErrorNote error={current.error} retry={() => current.refetch()} />;
  return (
    <>
      <form
        className="provider-form"
        aria-label={`${entry.name} app credentials`}
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          setSaved(false);
          try {
            const body: Record<string, string> = { client_id: clientIdValue.trim() };
            if (clientSecret.trim()) body.client_secret = clientSecret.trim();
            if (webhookField && webhookSecret.trim()) body.webhook_secret = webhookSecret.trim();
            await api.put(appPath, body);
            setClientSecret('');
            setWebhookSecret('');
            setClientId(undefined);
            setSaved(true);
            await refresh();
          } catch (caught) {
            setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        {app?.source === 'instance' && (
          <p className="muted">
            Your users connect through the instance’s default {entry.name} app (client id{' '}
            <span className="mono">{app.client_id}</span>). Save your own app to use it instead.
          </p>
        )}
        <div className="provider-fields">
          <Field
            label={`${entry.name} client ID`}
            value={clientIdValue}
            required
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setClientId(e.target.value)}
          />
          <Field
            label={`${entry.name} client secret`}
            type="password"
            autoComplete="new-password"
            value={clientSecret}
            required={own === undefined || !own.client_secret_set}
            placeholder={own?.client_secret_set ? 'Stored: leave empty to keep it' : ''}
            hint={own?.client_secret_set ? 'A secret is stored. Type a new one to replace it.' : undefined}
            onChange={(e) => setClientSecret(e.target.value)}
          />
          {webhookField && (
            <Field
              label={`${entry.name} ${webhookField.label.toLowerCase()}`}
              type="password"
              autoComplete="new-password"
              value={webhookSecret}
              placeholder={own?.webhook_secret_set ? 'Stored: leave empty to keep it' : ''}
              hint={`${own?.webhook_secret_set ? 'A value is stored. ' : ''}${webhookField.hint}`}
              onChange={(e) => setWebhookSecret(e.target.value)}
            />
          )}
        </div>
        {error !== undefined && <ErrorNote error={error} />}
        {saved && (
          <p className="provider-saved" role="status">
            Saved. Secrets are stored encrypted and never shown again.
          </p>
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>
            {own ? `Update ${entry.name} app` : `Save ${entry.name} app`}
          </Button>
          {own && (
            <Button variant="danger" onClick={() => setRemoving(true)}>
              Remove app
            </Button>
          )}
        </div>
      </form>
      <ConfirmDialog
        title={`Remove your ${entry.name} app?`}
        open={removing}
        confirmLabel="Remove app"
        danger
        onClose={() => setRemoving(false)}
        onConfirm={async () => {
          await api.delete(appPath);
          setRemoving(false);
          setSaved(false);
          setClientId(undefined);
          await refresh();
        }}
      >
        <p>
          WearLink forgets your {entry.name} client id and secrets.{' '}
          {entry.app_source === 'developer'
            ? 'The instance’s default app, if the operator set one, applies again; otherwise users can no longer connect or refresh their tokens.'
            : ''}
        </p>
      </ConfirmDialog>
    </>
  );
}
