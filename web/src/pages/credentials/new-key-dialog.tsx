import { Button, Dialog } from '../../ui.tsx';
import { CopyInput } from './copy-input.tsx';
import { CurlExample } from './curl-example.tsx';

export interface CreatedKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  created_at: string;
}

/**
 * A key just created or rotated: the only time its full value exists outside the caller's hands (the
 * server keeps a hash). Closing the dialog drops it.
 */
export function NewKeyDialog(props: {
  created: CreatedKey | undefined;
  rotated: boolean;
  onClose: () => void;
}) {
  const { created } = props;
  return (
    <Dialog
      title={props.rotated ? 'Key rotated: copy the new key' : 'Key created: copy it now'}
      open={created !== undefined}
      onClose={props.onClose}
    >
      {created && (
        <div className="stack">
          <div className="notice credentials-warning" role="note">
            <strong>Copy this key now.</strong> It is shown only once: WearLink keeps only a hash and cannot
            show it again. Store it on your server (an environment variable or a secret manager), never in an
            app or a browser.
            {props.rotated && ' The previous key has stopped working.'}
          </div>
          <CopyInput label="API key" value={created.key} />
          <p className="muted">
            Name: <strong>{created.name}</strong> · prefix <span className="mono">{created.prefix}</span>
          </p>
          <CurlExample apiKey={created.key} copyButton={false} />
          <div className="row credentials-dialog-actions">
            <Button variant="primary" onClick={props.onClose} autoFocus>
              I have copied it
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
