import { useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../../api.ts';
import { Badge, ErrorNote, Loading, Section, Table } from '../../ui.tsx';

interface BackfillStatus {
  active_run_id: string | null;
  last_run_id: string | null;
  types: {
    type: string;
    requested_windows: number;
    received: number;
    pending: number;
    failed: number;
    timed_out: number;
    duplicate: number;
    cancelled: number;
    complete: boolean;
  }[];
}

/** Garmin's vendor backfill per data type (GET /providers/garmin/users/{id}/backfill/status). */
export function GarminBackfill(props: { userId: string }) {
  const status = useQuery({
    queryKey: ['garmin-backfill', props.userId],
    queryFn: () =>
      api.get<BackfillStatus>(apiPath(`/providers/garmin/users/${props.userId}/backfill/status`)),
    refetchInterval: 15_000,
  });
  return (
    <Section title="Garmin backfill">
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorNote error={status.error} retry={() => void status.refetch()} />
      ) : status.data.types.length === 0 ? (
        <p className="muted">No backfill requested yet (start one with a full-history sync).</p>
      ) : (
        <Table
          caption="Garmin backfill per type"
          head={['Type', 'Windows', 'Received', 'Pending', 'Failed', 'Timed out', 'State']}
        >
          {status.data.types.map((t) => (
            <tr key={t.type}>
              <td>{t.type}</td>
              <td>{t.requested_windows}</td>
              <td>{t.received}</td>
              <td>{t.pending}</td>
              <td>{t.failed}</td>
              <td>{t.timed_out}</td>
              <td>
                <Badge tone={t.complete ? 'ok' : t.failed + t.timed_out > 0 ? 'bad' : 'info'}>
                  {t.complete ? 'Complete' : t.failed + t.timed_out > 0 ? 'Needs retry' : 'In progress'}
                </Badge>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
