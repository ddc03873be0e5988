import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Button, CopyField, Dialog, ErrorNote, formatDateTime, Loading, Section } from '../../ui.tsx';
import type { Secret } from './model.ts';

/**
 * The signing secret: fetched only when asked for (never for viewers, whom the API refuses anyway), so
 * it is not on screen, in the query cache or in a screenshot until someone presses "Reveal secret".
 */
export function SecretSection(props: { endpointId: string }) {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const key = ['webhooks', 'secret', props.endpointId];
  const path = apiPath(`/webhooks/endpoints/${encodeURIComponent(props.endpointId)}/secret`);
  const secret = useQuery({
    queryKey: key,
    queryFn: () => api.get<Secret>(path),
    enabled: canWrite && revealed,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const rotate = useMutation({
    mutationFn: () => api.post<Secret>(`${path}/rotate`),
    onSuccess: (next) => {
      queryClient.setQueryData(key, next);
      setRevealed(true);
      setConfirming(false);
    },
  });

  if (!canWrite) {
    return (
      <Section title="Signing secret">
        <p className="muted">Only owners and admins can see or rotate this endpoint's signing secret.</p>
      </Section>
    );
  }
  return (
    <Section
      title="Signing secret"
      actions={
        <div className="row">
          {revealed ? (
            <Button
              onClick={() => {
                setRevealed(false);
                queryClient.removeQueries({ queryKey: key });
              }}
            >
              Hide secret
            </Button>
          ) : (
            <Button onClick={() => setRevealed(true)}>Reveal secret</Button>
          )}
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Rotate secret
          </Button>
        </div>
      }
    >
      <p className="muted">
        Each delivery carries <span className="mono">webhook-id</span>,{' '}
        <span className="mono">webhook-timestamp</span> and <span className="mono">webhook-signature</span>{' '}
        headers (Standard Webhooks); verify them with this secret before trusting a payload.
      </p>
      {revealed && secret.isPending && <Loading label="Loading secret…" />}
      {revealed && secret.isError && <ErrorNote error={secret.error} retry={() => secret.refetch()} />}
      {revealed && secret.data && (
        <>
          <CopyField label="Signing secret" value={secret.data.key} />
          {secret.data.previous_key && (
            <>
              <CopyField label="Previous secret" value={secret.data.previous_key} />
              <p className="muted">
                Deliveries are also signed with the previous secret until{' '}
                {formatDateTime(secret.data.previous_key_expires_at)}, so receivers can switch over.
              </p>
            </>
          )}
        </>
      )}
      <Dialog title="Rotate the signing secret?" open={confirming} onClose={() => setConfirming(false)}>
        <p>
          A new secret is generated. The current one keeps signing deliveries next to the new one for a grace
          period (24 hours by default), then stops: update your receiver before then.
        </p>
        {rotate.isError && <ErrorNote error={rotate.error} />}
        <div className="row">
          <Button variant="danger" busy={rotate.isPending} onClick={() => rotate.mutate()}>
            Rotate now
          </Button>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
        </div>
      </Dialog>
    </Section>
  );
}
