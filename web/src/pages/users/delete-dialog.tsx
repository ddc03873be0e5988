import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Button, Dialog, ErrorNote, Field, Loading } from '../../ui.tsx';
import { ExportStatus, useExport, useStartExport } from './exports.tsx';
import { type User, userLabel } from './types.ts';

const CONFIRM_WORD = 'delete';

/**
 * Deleting a user cannot be undone, so the dialog first offers an export of their data (the single-use
 * link shown here once the job is done), then asks to type "delete".
 */
export function DeleteUserDialog(props: {
  user: User | undefined;
  onClose: () => void;
  onDeleted: (user: User) => void;
}) {
  return (
    <Dialog
      title={props.user ? `Delete ${userLabel(props.user)}?` : 'Delete user'}
      open={props.user !== undefined}
      onClose={props.onClose}
    >
      {props.user && <DeleteSteps user={props.user} onCancel={props.onClose} onDeleted={props.onDeleted} />}
    </Dialog>
  );
}

function DeleteSteps(props: { user: User; onCancel: () => void; onDeleted: (user: User) => void }) {
  const { user } = props;
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'offer' | 'confirm'>('offer');
  const [exportId, setExportId] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const start = useStartExport(user.id);
  const exported = useExport(user.id, exportId);
  const remove = useMutation({
    mutationFn: () => api.delete<void>(apiPath(`/users/${user.id}`)),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['users'] });
      queryClient.removeQueries({ queryKey: ['user', user.id] });
      props.onDeleted(user);
    },
  });

  if (step === 'offer') {
    return (
      <div className="stack">
        <p>
          Deleting removes the user and <strong>all of their data</strong> for good, and disconnects their
          providers. Export their data first if you or they may need it.
        </p>
        {exportId === undefined ? (
          <div className="row">
            <Button
              variant="primary"
              busy={start.isPending}
              onClick={() => start.mutate(undefined, { onSuccess: (made) => setExportId(made.export_id) })}
            >
              Export data first
            </Button>
            <Button onClick={() => setStep('confirm')}>Skip export</Button>
          </div>
        ) : exported.data ? (
          <ExportStatus exported={exported.data} />
        ) : exported.error ? (
          <ErrorNote error={exported.error} retry={() => exported.refetch()} />
        ) : (
          <Loading label="Starting the export…" />
        )}
        {start.error && <ErrorNote error={start.error} />}
        {exportId !== undefined && (
          <div className="row">
            <Button variant="primary" onClick={() => setStep('confirm')}>
              Continue to delete
            </Button>
          </div>
        )}
        <div className="row">
          <Button variant="link" onClick={props.onCancel}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim().toLowerCase() === CONFIRM_WORD) remove.mutate();
  };
  return (
    <form onSubmit={submit} className="stack">
      <p>
        This deletes <strong>{userLabel(user)}</strong> and all of their data. It cannot be undone.
      </p>
      <Field
        label={`Type ${CONFIRM_WORD} to confirm`}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        autoFocus
      />
      {remove.error && <ErrorNote error={remove.error} />}
      <div className="row">
        <Button
          type="submit"
          variant="danger"
          busy={remove.isPending}
          disabled={typed.trim().toLowerCase() !== CONFIRM_WORD}
        >
          Delete user
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
