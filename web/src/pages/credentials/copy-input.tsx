import { useId, useState } from 'react';
import { Button } from '../../ui.tsx';

/**
 * A read-only value (a new key, a URL for a vendor's portal) with a "Copy" button. Unlike the shared
 * CopyField, the button's name is just "Copy" (what it copies is its description), so looking the value
 * up by its label (`getByLabel('API key')`) finds the input alone.
 */
export function CopyInput(props: { label: string; value: string }) {
  const id = useId();
  const labelId = `${id}-label`;
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label id={labelId} htmlFor={id}>
        {props.label}
      </label>
      <div className="copy-field">
        <input id={id} readOnly value={props.value} onFocus={(e) => e.currentTarget.select()} />
        <Button
          aria-describedby={labelId}
          onClick={async () => {
            await navigator.clipboard?.writeText(props.value).catch(() => undefined);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          Copy
        </Button>
      </div>
      <span className="sr-only" aria-live="polite">
        {copied ? `${props.label} copied` : ''}
      </span>
    </div>
  );
}
