import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { Empty, formatDateTime, Section, Table } from '../ui.tsx';
import { AdminHeader, ConfirmButton, JsonView, QueryView, useAdminQuery } from './common.tsx';
import { type AdminDeveloper, DeveloperBadges, isLocked } from './developers.tsx';
import { PlanForm } from './plan-form.tsx';

interface AuditRow {
  id?: string;
  action: string;
  created_at: string;
  actor_type?: string;
  actor_id?: string | null;
  target_type?: string | null;
  target_id?: string | null;
  ip?: string | null;
}

type Detail = AdminDeveloper & Record<string, unknown>;

/** The detail may nest the account (`developer`) or be the account itself; the audit list is the one with actions. */
function split(data: Detail | { developer: AdminDeveloper }) {
  const record = data as Record<string, unknown>;
  const developer = (record.developer ?? data) as AdminDeveloper;
  const auditKey = Object.keys(record).find((key) => Array.isArray(record[key]) && /audit/.test(key));
  const audit = (auditKey ? record[auditKey] : []) as AuditRow[];
  const rest = Object.fromEntries(
    Object.entries(record).filter(
      ([key]) =>
        key !== 'developer' &&
        key !== auditKey &&
        !(
          key in developer &&
          record.developer === undefined &&
          ['id', 'email', 'name', 'is_superuser', 'locked_until'].includes(key)
        ),
    ),
  );
  return { developer, audit, rest };
}

export default function AdminDeveloperDetail(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const detail = useAdminQuery<Detail>(`/api/v1/admin/developers/${encodeURIComponent(id)}`);
  return (
    <>
      <AdminHeader title="Developer" description={<Link to="/admin/developers">All developers</Link>} />
      <QueryView query={detail}>
        {(data) => {
          const { developer, audit, rest } = split(data);
          const locked = isLocked(developer);
          return (
            <>
              <Section title={developer.email}>
                <div className="stack">
                  <DeveloperBadges developer={developer} />
                  <JsonView value={rest} caption="Developer details" />
                  <div className="row">
                    <ConfirmButton
                      label={developer.is_superuser ? 'Revoke superuser' : 'Make superuser'}
                      title={
                        developer.is_superuser
                          ? 'Revoke superuser rights?'
                          : 'Make this developer a superuser?'
                      }
                      onConfirm={() =>
                        api.post(`/api/v1/admin/developers/${id}/superuser`, {
                          is_superuser: !developer.is_superuser,
                        })
                      }
                    >
                      {developer.is_superuser
                        ? `${developer.email} loses access to the admin portal.`
                        : `${developer.email} gets full access to the admin portal. Only the root admin can do this.`}
                    </ConfirmButton>
                    {locked ? (
                      <ConfirmButton
                        label="Unlock"
                        title="Unlock this developer?"
                        onConfirm={() => api.post(`/api/v1/admin/developers/${id}/unlock`)}
                      >
                        {developer.email} can sign in again; the failed-login counter is reset.
                      </ConfirmButton>
                    ) : (
                      <ConfirmButton
                        label="Lock 7 days"
                        title="Lock this developer for 7 days?"
                        variant="danger"
                        onConfirm={() => api.post(`/api/v1/admin/developers/${id}/lock`)}
                      >
                        {developer.email} cannot sign in for 7 days (API keys are not revoked).
                      </ConfirmButton>
                    )}
                  </div>
                </div>
              </Section>
              <Section title="Plan">
                <PlanForm developerId={id} current={developer.plan} />
              </Section>
              <Section title="Recent audit rows">
                {audit.length === 0 ? (
                  <Empty title="No audit rows" />
                ) : (
                  <Table caption="Last 20 audit rows" head={['When', 'Action', 'Actor', 'Target', 'Address']}>
                    {audit.slice(0, 20).map((row, index) => (
                      <tr key={row.id ?? `${row.created_at}-${index}`}>
                        <td>{formatDateTime(row.created_at)}</td>
                        <td>
                          <code>{row.action}</code>
                        </td>
                        <td>{row.actor_type ?? '—'}</td>
                        <td>{row.target_type ? `${row.target_type} ${row.target_id ?? ''}` : '—'}</td>
                        <td>{row.ip ?? '—'}</td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
