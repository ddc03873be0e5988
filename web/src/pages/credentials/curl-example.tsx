import { CopyButton } from '../../ui.tsx';

/**
 * How to call the API with a key, against this very instance (its origin, as the browser reached it).
 * In the new-key dialog it has no copy button of its own, so the dialog has one "Copy": the key's.
 */
export function CurlExample(props: { apiKey?: string; copyButton?: boolean }) {
  const key = props.apiKey ?? '<your API key>';
  const command = `curl ${location.origin}/api/v1/users \\\n  -H "X-WearLink-API-Key: ${key}"`;
  return (
    <div className="curl-example">
      <div className="card-header">
        <h3>Example request</h3>
        {props.copyButton !== false && <CopyButton value={command} label="Copy curl command" />}
      </div>
      <pre>
        <code>{command}</code>
      </pre>
      <p className="muted">
        Send the key in the <span className="mono">X-WearLink-API-Key</span> header (or{' '}
        <span className="mono">Authorization: Bearer</span>). Every endpoint is in the{' '}
        <a href="/docs">API reference</a>.
      </p>
    </div>
  );
}
