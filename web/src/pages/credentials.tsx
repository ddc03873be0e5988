import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { useSession } from '../session.tsx';
import {
  Button,
  Empty,
  ErrorNote,
  Field,
  formatDateTime,
  Loading,
  PageHeader,
  Section,
  Table,
} from '../ui.tsx';
import { ConfirmDialog } from './credentials/confirm-dialog.tsx';
import { CurlExample } from './credentials/curl-example.tsx';
import { type CreatedKey, NewKeyDialog } from './credentials/new-key-dialog.tsx';
import './credentials/credentials.css';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

const KEYS = ['api-keys'];
const keysPath = apiPath('/developer/api-keys');

/**
 * API keys (src/developers/api-keys.routes.ts): list, create, rotate, delete. A full key is only ever
 * in a create or rotate response, so it is shown once, in a dialog. Viewers see the list only.
 */
export default function CredentialsPage() {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: KEYS,
    queryFn: ({ signal }) => api.get<ApiKey[]>(keysPath, { signal }),
  });
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ key: CreatedKey; rotated: boolean }>();
  const [confirm, setConfirm] = useState<{ kind: 'rotate' | 'delete'; key: ApiKey }>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS });

  const create = useMutation({
    mutationFn: (keyName: string) => api.post<CreatedKey>(keysPath, { name: keyName }),
    onSuccess: (key) => {
      setName('');
      setShown({ key, rotated: false });
      void refresh();
    },
  });

  return (
    <>
      <PageHeader
        title="Credentials"
        description="API keys authenticate your server's calls to WearLink. Keep them secret: a key acts for your whole tenant."
      />
      <Section title="Active keys">
        {canWrite ? (
          <form
            className="row credentials-create"
            onSubmit={(event) => {
              event.preventDefault();
              create.mutate(name.trim() || 'Default');
            }}
          >
            <Field
              label="Key name"
              value={name}
              maxLength={100}
              placeholder="e.g. Production server"
              onChange={(e) => setName(e.target.value)}
            />
            <Button type="submit" variant="primary" busy={create.isPending}>
              Create API key
            </Button>
          </form>
        ) : (
          <p className="notice">
            You have viewer access: you can see which keys exist, but only owners and admins create, rotate or
            delete them.
          </p>
        )}
        {create.isError && <ErrorNote error={create.error} />}
        {keys.isPending && <Loading label="Loading API keys…" />}
        {keys.isError && <ErrorNote error={keys.error} retry={() => keys.refetch()} />}
        {keys.data && keys.data.length === 0 && (
          <Empty title="No API keys">
            <p>
              {canWrite ? 'Create one above to call the API from your server.' : 'None has been created yet.'}
            </p>
          </Empty>
        )}
        {keys.data && keys.data.length > 0 && (
          <KeyTable
            keys={keys.data}
            canWrite={canWrite}
            onAction={(kind, key) => setConfirm({ kind, key })}
          />
        )}
      </Section>
      <Section title="Using a key">
        {/* While a new key's dialog is open, its example is the one to copy (one "Copy" on screen). */}
        <CurlExample copyButton={shown === undefined} />
      </Section>

      <NewKeyDialog
        created={shown?.key}
        rotated={shown?.rotated ?? false}
        onClose={() => setShown(undefined)}
      />
      <ConfirmDialog
        title={`Rotate “${confirm?.key.name ?? ''}”?`}
        open={confirm?.kind === 'rotate'}
        confirmLabel="Rotate key"
        onClose={() => setConfirm(undefined)}
        onConfirm={async () => {
          if (!confirm) return;
          const key = await api.post<CreatedKey>(apiPath(`/developer/api-keys/${confirm.key.id}/rotate`));
          setConfirm(undefined);
          setShown({ key, rotated: true });
          await refresh();
        }}
      >
        <p>
          A new key with the same name is created and shown once. The current key (
          <span className="mono">{confirm?.key.prefix}…</span>) <strong>stops working immediately</strong>:
          update every server that uses it.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        title={`Delete “${confirm?.key.name ?? ''}”?`}
        open={confirm?.kind === 'delete'}
        confirmLabel="Delete key"
        danger
        onClose={() => setConfirm(undefined)}
        onConfirm={async () => {
          if (!confirm) return;
          await api.delete(apiPath(`/developer/api-keys/${confirm.key.id}`));
          setConfirm(undefined);
          await refresh();
        }}
      >
        <p>
          Requests with this key (<span className="mono">{confirm?.key.prefix}…</span>) are refused from now
          on. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}

function KeyTable(props: {
  keys: ApiKey[];
  canWrite: boolean;
  onAction: (kind: 'rotate' | 'delete', key: ApiKey) => void;
}) {
  const head = ['Name', 'Key', 'Created', 'Last used', ...(props.canWrite ? ['Actions'] : [])];
  return (
    <Table caption="Active keys" head={head}>
      {props.keys.map((key) => (
        <KeyRow key={key.id} apiKey={key} canWrite={props.canWrite} onAction={props.onAction} />
      ))}
    </Table>
  );
}

function KeyRow(props: {
  apiKey: ApiKey;
  canWrite: boolean;
  onAction: (kind: 'rotate' | 'delete', key: ApiKey) => void;
}) {
  const { apiKey } = props;
  const nameId = useId();
  return (
    <tr>
      <td id={nameId}>{apiKey.name}</td>
      <td>
        <span className="mono">{apiKey.prefix}…</span>
      </td>
      <td>{formatDateTime(apiKey.created_at)}</td>
      <td>{apiKey.last_used_at ? formatDateTime(apiKey.last_used_at) : 'Never'}</td>
      {props.canWrite && (
        <td>
          {/* The button says what it does; which key it acts on is its description (the name cell). */}
          <div className="credentials-actions">
            <Button aria-describedby={nameId} onClick={() => props.onAction('rotate', apiKey)}>
              Rotate
            </Button>
            <Button
              variant="danger"
              aria-describedby={nameId}
              onClick={() => props.onAction('delete', apiKey)}
            >
              Delete
            </Button>
          </div>
        </td>
      )}
    </tr>
  );
}
