import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, apiPath } from '../../api.ts';
import { SleepPanel, TimeseriesPanel, WorkoutsPanel } from '../../charts/index.ts';
import { Link, navigate, setQuery, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Button, Empty, ErrorNote, formatDateTime, Loading, PageHeader } from '../../ui.tsx';
import { ConnectionsSection } from './connections.tsx';
import { DeleteUserDialog } from './delete-dialog.tsx';
import { ExportsSection } from './exports.tsx';
import { ActivitySection, BodySection, DataSummarySection, EnergySection, ScoresSection } from './health.tsx';
import { NutritionSection } from './nutrition.tsx';
import { Tabs } from './tabs.tsx';
import { type User, userLabel } from './types.ts';
import { UserFormDialog } from './user-form.tsx';
import './users.css';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'timeseries', label: 'Timeseries' },
  { id: 'workouts', label: 'Workouts' },
  { id: 'sleep', label: 'Sleep' },
  { id: 'activity', label: 'Activity' },
  { id: 'body', label: 'Body & scores' },
  { id: 'nutrition', label: 'Nutrition & energy' },
  { id: 'exports', label: 'Exports' },
] as const;

export default function UserDetailPage(props: { params: Record<string, string> }) {
  const userId = props.params.user_id ?? '';
  const { canWrite } = useSession();
  const { query } = useLocation();
  const tab = TABS.find((t) => t.id === query.get('tab'))?.id ?? 'overview';
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const user = useQuery({
    queryKey: ['user', userId],
    queryFn: () => api.get<User>(apiPath(`/users/${userId}`)),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });

  if (user.isPending) return <Loading label="Loading user…" />;
  if (user.error) {
    const missing =
      user.error instanceof ApiError && (user.error.status === 404 || user.error.status === 422);
    return (
      <>
        <PageHeader title="User" />
        {missing ? (
          <Empty title="This user does not exist (or was deleted)">
            <p>
              <Link to="/users">Back to users</Link>
            </p>
          </Empty>
        ) : (
          <ErrorNote error={user.error} retry={() => user.refetch()} />
        )}
      </>
    );
  }
  const u = user.data;

  return (
    <>
      <p className="users-breadcrumb">
        <Link to="/users">← Users</Link>
      </p>
      <PageHeader
        title={userLabel(u)}
        description={<UserFacts user={u} />}
        actions={
          canWrite && (
            <>
              <Button onClick={() => setEditing(true)}>Edit</Button>
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete user
              </Button>
            </>
          )
        }
      />
      <Tabs
        label="User data"
        tabs={TABS}
        selected={tab}
        onSelect={(id) => setQuery({ tab: id === 'overview' ? undefined : id })}
      >
        {tab === 'overview' && (
          <>
            <ConnectionsSection userId={u.id} />
            <DataSummarySection userId={u.id} />
          </>
        )}
        {tab === 'timeseries' && <TimeseriesPanel userId={u.id} />}
        {tab === 'workouts' && <WorkoutsPanel userId={u.id} />}
        {tab === 'sleep' && <SleepPanel userId={u.id} />}
        {tab === 'activity' && <ActivitySection userId={u.id} />}
        {tab === 'body' && (
          <>
            <BodySection userId={u.id} />
            <ScoresSection userId={u.id} />
          </>
        )}
        {tab === 'nutrition' && (
          <>
            <EnergySection userId={u.id} />
            <NutritionSection userId={u.id} />
          </>
        )}
        {tab === 'exports' && <ExportsSection userId={u.id} />}
      </Tabs>
      <UserFormDialog
        open={editing}
        user={u}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
      <DeleteUserDialog
        user={deleting ? u : undefined}
        onClose={() => setDeleting(false)}
        onDeleted={() => navigate('/users')}
      />
    </>
  );
}

function UserFacts(props: { user: User }) {
  const { user } = props;
  return (
    <span className="users-facts">
      <span>
        <span className="muted">Email</span> {user.email ?? '—'}
      </span>
      <span>
        <span className="muted">External ID</span> <span className="mono">{user.external_id ?? '—'}</span>
      </span>
      <span>
        <span className="muted">ID</span> <span className="mono">{user.id}</span>
      </span>
      <span>
        <span className="muted">Time zone</span> {user.timezone ?? 'UTC (default)'}
      </span>
      <span>
        <span className="muted">Created</span> {formatDateTime(user.created_at)}
      </span>
    </span>
  );
}
