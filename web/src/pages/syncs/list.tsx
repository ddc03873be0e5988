import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { Link, setQuery, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Empty, ErrorNote, Loading, PageHeader, Section } from '../../ui.tsx';
import { GarminBackfill } from './backfill.tsx';
import { ConnectionBadge, EventLog, LiveRuns } from './live-panel.tsx';
import { RecentRuns, useTenantRuns } from './runs-table.tsx';
import { terminalStages, userLabel, useSyncStream } from './shared.ts';
import { TriggerSync, useConnections } from './trigger.tsx';
import { UserPicker, useUsers } from './user-picker.tsx';
import './syncs.css';

/** Live syncs: one user's stream as it happens, the tenant's recent runs, trigger and cancel. */
export default function LiveSyncsPage() {
  const { query } = useLocation();
  const users = useUsers();
  const latest = useTenantRuns(undefined);
  const picked = query.get('user') || undefined;
  // Default: the user of the most recent run, else the newest user.
  const userId =
    picked ?? latest.data?.pages[0]?.data[0]?.user_id ?? (latest.isPending ? undefined : users.data?.[0]?.id);
  const userNames = useMemo(
    () => new Map((users.data ?? []).map((u) => [u.id, userLabel(u)] as const)),
    [users.data],
  );

  return (
    <>
      <PageHeader
        title="Live syncs"
        description="Sync events as they happen, over the stream (reconnects resume where they left off)."
      />
      {users.error && <ErrorNote error={users.error} retry={() => void users.refetch()} />}
      {users.isPending ? (
        <Loading />
      ) : users.data && users.data.length === 0 && !picked ? (
        <Empty title="No users yet">
          <Link to="/users">Create a user</Link> and connect a provider to see syncs here.
        </Empty>
      ) : (
        <UserPicker
          users={users.data ?? []}
          value={userId}
          onChange={(id) => setQuery({ user: id || undefined })}
        />
      )}
      {userId && <UserLive userId={userId} />}
      <RecentRuns userNames={userNames} />
    </>
  );
}

function UserLive(props: { userId: string }) {
  const { canWrite } = useSession();
  const stream = useSyncStream(props.userId);
  const connections = useConnections(props.userId);
  const queryClient = useQueryClient();
  // A run that ends (or starts) changes the runs table: refresh it then, not only on its timer.
  const known = useRef(new Set<string>());
  useEffect(() => {
    let changed = false;
    for (const event of stream.events) {
      const key = `${event.run_id}:${terminalStages.has(event.stage) ? 'end' : 'live'}`;
      if (!known.current.has(key)) {
        known.current.add(key);
        changed = true;
      }
    }
    if (changed) void queryClient.invalidateQueries({ queryKey: ['sync-runs'] });
  }, [stream.events, queryClient]);
  const hasGarmin = connections.data?.some((c) => c.provider === 'garmin') ?? false;

  return (
    <>
      {canWrite && (
        <Section title="Trigger a sync">
          {connections.isPending ? (
            <Loading />
          ) : connections.error ? (
            <ErrorNote error={connections.error} />
          ) : (
            <TriggerSync userId={props.userId} connections={connections.data} />
          )}
        </Section>
      )}
      <div className="sync-columns">
        <Section title="Runs (live)" actions={<ConnectionBadge status={stream.status} />}>
          <LiveRuns events={stream.events} userId={props.userId} />
        </Section>
        <Section title="Events">
          <EventLog events={stream.events} label="Sync events of this user" />
        </Section>
      </div>
      {hasGarmin && <GarminBackfill userId={props.userId} />}
    </>
  );
}
