import { api } from '../api.ts';
import { Empty, formatDateTime, Section, Table } from '../ui.tsx';
import { AdminHeader, ConfirmButton, JsonView, QueryView, useAdminQuery } from './common.tsx';

interface Job {
  name: string;
  schedule?: string | null;
  description?: string | null;
  last_run_at?: string | null;
  next_run_at?: string | null;
  [key: string]: unknown;
}

function Jobs() {
  const jobs = useAdminQuery<{ data?: Job[]; jobs?: Job[] }>('/api/v1/admin/jobs');
  return (
    <QueryView query={jobs}>
      {(body) => {
        const list = body.data ?? body.jobs ?? [];
        return list.length === 0 ? (
          <Empty title="No scheduled jobs" />
        ) : (
          <Table caption="Scheduled jobs" head={['Job', 'Schedule', 'Last run', 'Next run', 'Actions']}>
            {list.map((job) => (
              <tr key={job.name}>
                <td>
                  <code>{job.name}</code>
                  {job.description && <div className="muted">{job.description}</div>}
                </td>
                <td>{job.schedule ?? '—'}</td>
                <td>{formatDateTime(job.last_run_at)}</td>
                <td>{formatDateTime(job.next_run_at)}</td>
                <td>
                  <ConfirmButton
                    label={`Run ${job.name} now`}
                    title={`Run ${job.name} now?`}
                    confirmLabel="Run now"
                    onConfirm={() => api.post(`/api/v1/admin/jobs/${encodeURIComponent(job.name)}/run`)}
                  >
                    The job is queued at once, outside its schedule. The run is audited under your name.
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </Table>
        );
      }}
    </QueryView>
  );
}

export default function AdminSystem() {
  const health = useAdminQuery<Record<string, unknown>>('/api/v1/admin/system/health');
  return (
    <>
      <AdminHeader
        title="System & jobs"
        description="Database, Redis, job queue and blob store; the scheduled jobs."
      />
      <Section title="System health">
        <QueryView query={health}>{(data) => <JsonView value={data} caption="System health" />}</QueryView>
      </Section>
      <Section title="Scheduled jobs">
        <Jobs />
      </Section>
    </>
  );
}
