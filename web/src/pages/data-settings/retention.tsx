import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Button, Dialog, ErrorNote, formatDateTime, Loading, Section } from '../../ui.tsx';

/** GET/PUT /developer/data-retention (src/data-rights/retention): null keeps that data for good. */
interface Policy {
  raw_payload_days: number | null;
  sample_days: number | null;
  delete_after_days: number | null;
  updated_at: string | null;
}
type Kind = 'raw_payload_days' | 'sample_days' | 'delete_after_days';
const MAX_DAYS = 36_500;

const KINDS: { key: Kind; title: string; what: string }[] = [
  {
    key: 'raw_payload_days',
    title: 'Raw payloads',
    what: 'The original bytes WearLink received: SDK batches, Apple Health imports, vendor API responses and vendor webhook bodies. Each is deleted this many days after it arrived (one an unfinished sync still needs waits until that sync ends). The health data parsed from them stays.',
  },
  {
    key: 'sample_days',
    title: 'Raw samples',
    what: 'Individual samples (every heart-rate reading, every step count) older than this are dropped. Their hourly aggregates (count, sum, min, max per hour and source) stay, so hourly charts and daily summaries keep working for that period; raw and sub-hour resolutions return nothing there.',
  },
  {
    key: 'delete_after_days',
    title: 'All health data',
    what: 'Everything older than this is deleted: samples, hourly aggregates, workouts with their routes, sleep, scores, raw payloads and finished sync runs. The two limits above cannot be longer than this one.',
  },
];

type Draft = Record<Kind, { forever: boolean; days: string }>;
const draftOf = (p: Policy): Draft =>
  Object.fromEntries(
    KINDS.map(({ key }) => [key, { forever: p[key] === null, days: p[key] === null ? '' : String(p[key]) }]),
  ) as Draft;

/** The draft as the API takes it, or the first mistake in it. */
function parse(draft: Draft): Omit<Policy, 'updated_at'> | { error: string } {
  const out = {} as Omit<Policy, 'updated_at'>;
  for (const { key, title } of KINDS) {
    const d = draft[key];
    if (d.forever) {
      out[key] = null;
      continue;
    }
    const n = Number(d.days);
    if (!/^\d+$/.test(d.days.trim()) || n < 1 || n > MAX_DAYS)
      return { error: `${title}: enter whole days between 1 and ${MAX_DAYS}, or choose "Keep forever".` };
    out[key] = n;
  }
  const limit = out.delete_after_days;
  for (const { key, title } of KINDS.slice(0, 2)) {
    const days = out[key];
    if (limit !== null && days !== null && days > limit)
      return {
        error: `${title}: at most ${limit} days, as all health data goes after ${limit} days anyway.`,
      };
  }
  return out;
}

/** Limits that delete more than before (new, or shorter): saving them is worth a second look. */
function shortened(before: Policy, after: Omit<Policy, 'updated_at'>): string[] {
  return KINDS.filter(({ key }) => {
    const a = after[key];
    const b = before[key];
    return a !== null && (b === null || a < b);
  }).map((k) => k.title.toLowerCase());
}

function KindField(props: {
  kind: (typeof KINDS)[number];
  value: Draft[Kind];
  disabled: boolean;
  onChange(next: Draft[Kind]): void;
}) {
  const id = useId();
  const { kind, value } = props;
  return (
    <fieldset className="ds-kind" aria-describedby={`${id}-what`}>
      <legend>{kind.title}</legend>
      <p id={`${id}-what`} className="muted">
        {kind.what}
      </p>
      <div className="ds-kind-choice">
        <label>
          <input
            type="radio"
            name={id}
            checked={value.forever}
            disabled={props.disabled}
            onChange={() => props.onChange({ ...value, forever: true })}
          />{' '}
          Keep forever
        </label>
        <label>
          <input
            type="radio"
            name={id}
            checked={!value.forever}
            disabled={props.disabled}
            onChange={() => props.onChange({ ...value, forever: false })}
          />{' '}
          Delete after
        </label>
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_DAYS}
          className="ds-days"
          aria-label={`${kind.title}: days to keep`}
          value={value.days}
          disabled={props.disabled || value.forever}
          onChange={(e) => props.onChange({ forever: false, days: e.currentTarget.value })}
        />{' '}
        days
      </div>
    </fieldset>
  );
}

function RetentionForm(props: { policy: Policy; onSaved(): void }) {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(props.policy));
  const [problem, setProblem] = useState<string>();
  const [confirm, setConfirm] = useState<{ body: Omit<Policy, 'updated_at'>; kinds: string[] }>();
  const save = useMutation({
    mutationFn: (body: Omit<Policy, 'updated_at'>) =>
      api.put<Policy>(apiPath('/developer/data-retention'), body),
    onSuccess: (saved) => {
      queryClient.setQueryData(['data-retention'], saved);
      setConfirm(undefined);
      props.onSaved();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = parse(draft);
    if ('error' in body) {
      setProblem(body.error);
      return;
    }
    setProblem(undefined);
    const kinds = shortened(props.policy, body);
    if (kinds.length > 0) setConfirm({ body, kinds });
    else save.mutate(body);
  };
  return (
    <form onSubmit={submit} noValidate>
      {KINDS.map((kind) => (
        <KindField
          key={kind.key}
          kind={kind}
          value={draft[kind.key]}
          disabled={!canWrite}
          onChange={(next) => setDraft({ ...draft, [kind.key]: next })}
        />
      ))}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {save.isError && !confirm && <ErrorNote error={save.error} />}
      {canWrite ? (
        <Button type="submit" variant="primary" busy={save.isPending && !confirm}>
          Save retention policy
        </Button>
      ) : (
        <p className="muted">Only owners and admins can change the retention policy.</p>
      )}
      <Dialog
        title="Delete data for good?"
        open={confirm !== undefined}
        onClose={() => setConfirm(undefined)}
      >
        <p>
          The new limits for {confirm?.kinds.join(' and ')} delete data older than that at the next retention
          pass (within the hour), for every one of your users. Deleted data cannot be brought back, even if
          you lengthen the limit later.
        </p>
        {save.isError && <ErrorNote error={save.error} />}
        <div className="row">
          <Button variant="danger" busy={save.isPending} onClick={() => confirm && save.mutate(confirm.body)}>
            Save and delete older data
          </Button>
          <Button onClick={() => setConfirm(undefined)}>Cancel</Button>
        </div>
      </Dialog>
    </form>
  );
}

export function RetentionSection() {
  const [saved, setSaved] = useState(false);
  const policy = useQuery({
    queryKey: ['data-retention'],
    queryFn: () => api.get<Policy>(apiPath('/developer/data-retention')),
  });
  return (
    <Section title="Data retention">
      <p>
        How long WearLink keeps your users' health data. A background job applies the policy about every hour
        (RETENTION_INTERVAL_MINUTES, 60 by default) to all your users; anything past a limit is deleted for
        good. By default everything is kept.
      </p>
      {policy.isPending && <Loading label="Loading retention policy…" />}
      {policy.isError && <ErrorNote error={policy.error} retry={() => policy.refetch()} />}
      {policy.data && (
        <>
          <p className="muted">
            {policy.data.updated_at
              ? `Last changed ${formatDateTime(policy.data.updated_at)} (recorded in the audit log).`
              : 'Never changed: everything is kept.'}
          </p>
          {saved && (
            <p className="notice" role="status">
              Saved. The next retention pass applies it.
            </p>
          )}
          {/* Re-mounted when the saved policy changes, so the form shows what is stored. */}
          <RetentionForm
            key={policy.data.updated_at ?? 'default'}
            policy={policy.data}
            onSaved={() => setSaved(true)}
          />
        </>
      )}
    </Section>
  );
}
