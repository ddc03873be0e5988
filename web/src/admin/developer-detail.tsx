import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { Empty, formatDateTime, formatNumber, Section, Table } from '../ui.tsx';
import { type AuditRow, AuditTable } from './audit-table.tsx';
import { AdminHeader, ConfirmButton, JsonView, QueryView, useAdminQuery } from './common.tsx';
import { type AdminDeveloper, DeveloperBadges, isLocked } from './developers.tsx';
import { PlanForm } from './plan-form.tsx';

interface Detail extends AdminDeveloper {
  tenant: { id: string; email: string; name: string } | null;
  subscription: unknown;
  counts: { api_keys: number; end_users: number };
  team_members: {
    id: string;
    email: string;
    name: string;
    role: string;
    locked: boolean;
    created_at: string;
  }[];
  recent_audit: AuditRow[];
}

function Actions(props: { id: string; developer: Detail }) {
  const { id, developer } = props;
  const locked = isLocked(developer);
  return (
    <div className="row">
      <ConfirmButton
        label={developer.superuser_flag ? 'Revoke superuser' : 'Make superuser'}
        title={developer.superuser_flag ? 'Revoke superuser rights?' : 'Make this developer a superuser?'}
        onConfirm={() =>
          api.post(`/api/v1/admin/developers/${id}/superuser`, { is_superuser: !developer.superuser_flag })
        }
      >
        {developer.superuser_flag
          ? `${developer.email} loses access to the admin portal${developer.superuser_by_config ? ' (except that SUPERUSER_EMAILS still lists it)' : ''}.`
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
          {developer.email} cannot sign in for 7 days.
        </ConfirmButton>
      )}
    </div>
  );
}

export default function AdminDeveloperDetail(props: { params: Record<string, string> }) {
  const id = props.params.id ?? '';
  const detail = useAdminQuery<Detail>(`/api/v1/admin/developers/${encodeURIComponent(id)}`);
  return (
    <>
      <AdminHeader title="Developer" description={<Link to="/admin/developers">All developers</Link>} />
      <QueryView query={detail}>
        {(d) => (
          <>
            <Section title={d.email}>
              <div className="stack">
                <DeveloperBadges developer={d} />
                <JsonView
                  caption="Account"
                  value={{
                    name: d.name,
                    organization: d.organization ?? '—',
                    plan: d.plan,
                    role: d.role,
                    tenant: d.tenant ? `${d.tenant.email} (${d.tenant.name})` : 'Own tenant',
                    email_verified: d.email_verified_at
                      ? formatDateTime(d.email_verified_at)
                      : 'Not verified',
                    failed_logins: d.failed_login_count,
                    locked_until: d.locked_until ? formatDateTime(d.locked_until) : 'Not locked',
                    api_keys: formatNumber(d.counts.api_keys),
                    end_users: formatNumber(d.counts.end_users),
                    joined: formatDateTime(d.created_at),
                  }}
                />
                <Actions id={id} developer={d} />
              </div>
            </Section>
            <Section title="Plan and subscription">
              <PlanForm developerId={id} current={d.plan} />
              {d.subscription ? (
                <JsonView value={d.subscription} caption="Subscription" />
              ) : (
                <p className="muted">No Razorpay subscription.</p>
              )}
            </Section>
            {d.team_members.length > 0 && (
              <Section title="Team members">
                <Table caption="Team members" head={['Email', 'Role', 'State', 'Joined']}>
                  {d.team_members.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link to={`/admin/developers/${m.id}`}>{m.email}</Link>
                      </td>
                      <td>{m.role}</td>
                      <td>{m.locked ? 'Locked' : 'Active'}</td>
                      <td>{formatDateTime(m.created_at)}</td>
                    </tr>
                  ))}
                </Table>
              </Section>
            )}
            <Section title="Last 20 audit rows">
              {d.recent_audit.length === 0 ? (
                <Empty title="No audit rows" />
              ) : (
                <AuditTable rows={d.recent_audit} caption="Last 20 audit rows" />
              )}
            </Section>
          </>
        )}
      </QueryView>
    </>
  );
}
