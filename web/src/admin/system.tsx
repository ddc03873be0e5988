import { api } from '../api.ts';
import { Empty, formatDateTime, Section, Table } from '../ui.tsx';
import { AdminHeader, ConfirmButton, JsonView, QueryView, useAdminQuery } from './common.tsx';

interface Job {
  name: string;
  description: string;
  schedule: string;
  enabled: boolean;
  runs_on: string;
  last_run_at: string | null;
  last_manual_run: { at: string; by: string | null } | null;
}

function Jobs() {
  const jobs = useAdminQuery<{ data: Job[] }>('/api/v1/admin/jobs');
  return (
    <QueryView query={jobs}>
      {(body) => {
        const list = body.data;
        return list.length === 0 ? (
          <Empty title="No scheduled jobs" />
        ) : (
          <Table caption="Scheduled jobs" head={['Job', 'Schedule', 'Last run', 'Last run now', 'Actions']}>
            {list.map((job) => (
              <tr key={job.name}>
                <td>
                  <code>{job.name}</code>
                  <div className="muted">{job.description}</div>
                </td>
                <td>
                  {job.schedule}
                  <div className="muted">
                    {job.enabled ? 'Enabled' : 'Disabled'}; runs on {job.runs_on}
                  </div>
                </td>
                <td>{formatDateTime(job.last_run_at)}</td>
                <td>
                  {job.last_manual_run ? (
                    <>
                      {formatDateTime(job.last_manual_run.at)}
                      {job.last_manual_run.by && <div className="muted">by {job.last_manual_run.by}</div>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <ConfirmButton
                    label={`Run ${job.name} now`}
                    title={`Run ${job.name} now?`}
                    confirmLabel="Run now"
                    onConfirm={() => api.post(`/api/v1/admin/jobs/${encodeURIComponent(job.name)}/run`)}
                  >
                    The job runs at once, outside its schedule. The run is audited under your name.
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
