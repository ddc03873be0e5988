import { useId, useState } from 'react';
import { Badge, formatDateTime, formatNumber } from '../../ui.tsx';
import { CopyInput } from '../credentials/copy-input.tsx';
import { AppForm } from './app-form.tsx';
import type { Budget, CatalogueEntry } from './types.ts';

const windowName = (seconds: number) =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`
    : seconds % 3600 === 0
      ? `${seconds / 3600} h`
      : seconds % 60 === 0
        ? `${seconds / 60} min`
        : `${seconds} s`;

/** One OAuth vendor: whether users can connect, the URLs for its portal, its budget, the app form. */
export function VendorCard(props: { entry: CatalogueEntry; canWrite: boolean }) {
  const { entry } = props;
  const titleId = useId();
  // Open at first for a vendor nobody set up yet; then the user's choice (not re-closed by a save).
  const [formOpen, setFormOpen] = useState(!entry.is_configured && entry.app_source === null);
  return (
    <section className="card provider-card" id={`provider-${entry.slug}`} aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>{entry.name}</h2>
        <div className="row provider-badges">
          <Badge tone={entry.is_configured ? 'ok' : 'warn'}>
            {entry.is_configured ? 'Configured' : 'Not configured'}
          </Badge>
          {entry.app_source && (
            <Badge tone="neutral">
              {entry.app_source === 'developer' ? 'Your app' : 'Instance default app'}
            </Badge>
          )}
          {!entry.available && <Badge tone="bad">Not in this build</Badge>}
        </div>
      </div>
      <p className="muted">
        {entry.is_configured
          ? `Your users can connect ${entry.name}.`
          : `Register an app with ${entry.name}, then save its client ID and secret below so your users can connect.`}{' '}
        {entry.developer_portal && (
          <a href={entry.developer_portal} target="_blank" rel="noreferrer">
            {entry.name} developer portal
          </a>
        )}
      </p>

      <h3>URLs for the vendor’s portal</h3>
      {entry.callback_url && <CopyInput label={`${entry.name} callback URL`} value={entry.callback_url} />}
      {entry.webhook_url && (
        <>
          <CopyInput label={`${entry.name} webhook URL`} value={entry.webhook_url} />
          {entry.slug === 'garmin' && (
            <p className="field-hint">
              With a webhook key saved below, register this URL with <span className="mono">?key=</span> and
              that key appended.
            </p>
          )}
        </>
      )}
      {!entry.callback_url && !entry.webhook_url && <p className="muted">This vendor needs no URLs.</p>}

      <h3>Request budget</h3>
      <BudgetList entry={entry} />

      {props.canWrite && (
        <details
          className="provider-details"
          open={formOpen}
          onToggle={(e) => setFormOpen(e.currentTarget.open)}
        >
          <summary>{entry.app_source === 'developer' ? 'Your app credentials' : 'Set up your app'}</summary>
          <AppForm entry={entry} />
        </details>
      )}
      {!props.canWrite && <p className="muted">Owners and admins set up the app credentials.</p>}
    </section>
  );
}

function BudgetList({ entry }: { entry: CatalogueEntry }) {
  if (entry.budget === null)
    return (
      <p className="muted">
        {entry.app_source === null
          ? 'Shown once an app is configured: the budget is counted per app (client ID).'
          : `WearLink does not limit calls to ${entry.name} itself; the vendor’s own limits apply.`}
      </p>
    );
  return (
    <ul className="provider-budgets">
      {entry.budget.map((b) => (
        <BudgetRow key={b.window_seconds} budget={b} />
      ))}
    </ul>
  );
}

function BudgetRow({ budget }: { budget: Budget }) {
  const share = Math.min(100, (budget.used / Math.max(1, budget.limit)) * 100);
  const label = `${formatNumber(budget.used)} of ${formatNumber(budget.limit)} requests per ${windowName(budget.window_seconds)}`;
  return (
    <li>
      <div className="provider-budget-label">
        <span>{label}</span>
        {budget.resets_at && <span className="muted">window resets {formatDateTime(budget.resets_at)}</span>}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Budget used per ${windowName(budget.window_seconds)}`}
        aria-valuemin={0}
        aria-valuemax={budget.limit}
        aria-valuenow={budget.used}
      >
        <span style={{ width: `${share}%` }} />
      </div>
    </li>
  );
}
