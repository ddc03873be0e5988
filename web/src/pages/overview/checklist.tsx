import { Link } from '../../router.tsx';
import { Badge } from '../../ui.tsx';
import type { Overview } from './types.ts';

export interface SetupStep {
  title: string;
  detail: string;
  to: string;
  action: string;
  done: boolean;
}

/** The first steps of a new tenant, each done once the overview shows its result. */
export function setupSteps(o: Overview): SetupStep[] {
  const sandbox = o.connections.by_provider.find((p) => p.provider === 'sandbox');
  return [
    {
      title: 'Create an API key',
      detail: 'Your server calls WearLink with it.',
      to: '/credentials',
      action: 'Go to Credentials',
      done: o.api_keys.total > 0,
    },
    {
      title: 'Create a user',
      detail: 'One per person whose wearable data you read.',
      to: '/users',
      action: 'Go to Users',
      done: o.users.total > 0,
    },
    {
      title: 'Connect the sandbox',
      detail: 'On a user’s page, connect the Sandbox provider to get realistic data without a device.',
      to: '/users',
      action: 'Choose a user',
      done: (sandbox?.by_status.active ?? 0) > 0,
    },
    {
      title: 'Add a webhook endpoint',
      detail: 'Get told when new data or sync results arrive.',
      to: '/webhooks',
      action: 'Go to Webhooks',
      done: o.webhooks.endpoints.total > 0,
    },
  ];
}

export function FirstRunChecklist(props: { overview: Overview }) {
  const steps = setupSteps(props.overview);
  const done = steps.filter((s) => s.done).length;
  return (
    <section className="card checklist" aria-labelledby="checklist-title">
      <div className="card-header">
        <h2 id="checklist-title">Get started</h2>
        <span className="muted">
          {done} of {steps.length} done
        </span>
      </div>
      <ol className="checklist-steps">
        {steps.map((step, i) => (
          <li key={step.title} className={step.done ? 'checklist-done' : undefined}>
            <div>
              <strong>
                {i + 1}. {step.title}
              </strong>{' '}
              <Badge tone={step.done ? 'ok' : 'neutral'}>{step.done ? 'Done' : 'To do'}</Badge>
              <p className="muted">{step.detail}</p>
            </div>
            {!step.done && <Link to={step.to}>{step.action}</Link>}
          </li>
        ))}
      </ol>
    </section>
  );
}
