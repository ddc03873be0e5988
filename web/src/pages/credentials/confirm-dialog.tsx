import { type ReactNode, useState } from 'react';
import { Button, Dialog, ErrorNote } from '../../ui.tsx';

/** Asks before an action that cannot be undone; shows the API's refusal in place if it fails. */
export function ConfirmDialog(props: {
  title: string;
  open: boolean;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const close = () => {
    setError(undefined);
    props.onClose();
  };
  return (
    <Dialog title={props.title} open={props.open} onClose={close}>
      <div className="stack">
        {props.children}
        {error !== undefined && <ErrorNote error={error} />}
        <div className="row credentials-dialog-actions">
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant={props.danger ? 'danger' : 'primary'}
            busy={busy}
            onClick={async () => {
              setBusy(true);
              setError(undefined);
              try {
                await props.onConfirm();
              } catch (caught) {
                setError(caught);
              } finally {
                setBusy(false);
              }
            }}
          >
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
