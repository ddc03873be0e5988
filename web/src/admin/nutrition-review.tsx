import { useState } from 'react';
import { apiPath } from '../api.ts';
import { Badge, Button, Empty, ErrorNote, formatDateTime, formatNumber, Section, Table } from '../ui.tsx';
import { AdminHeader, QueryView, useAdminAction, useAdminQuery } from './common.tsx';

interface Item {
  id: string;
  dish_name: string;
  quantity_grams: number | null;
  calories_kcal: number | null;
}

interface ReviewLog {
  id: string;
  developer_id: string;
  user_id: string;
  status: string;
  meal_type: string;
  detected_at: string;
  confidence_score: number | null;
  verifier_agreed: boolean | null;
  total_kcal: number | null;
  failure: unknown;
  created_at: string;
  items: Item[];
}

interface Queue {
  data: ReviewLog[];
  pagination: { next_cursor: string | null; has_more: boolean; total_count: number };
}

/** The photo, fetched on demand: the detail route signs a short-lived URL for it. */
function Photo(props: { logId: string }) {
  const detail = useAdminQuery<{ image_url: string | null }>(`/api/v1/admin/nutrition/review/${props.logId}`);
  return (
    <QueryView query={detail} label="Loading photo…">
      {(d) =>
        d.image_url ? (
          <img className="review-photo" src={d.image_url} alt={`Meal ${props.logId} under review`} />
        ) : (
          <p className="muted">No photo (none was uploaded, or retention removed it).</p>
        )
      }
    </QueryView>
  );
}

function LogRow(props: { log: ReviewLog; selected: boolean; onSelect: (on: boolean) => void }) {
  const { log } = props;
  const [showPhoto, setShowPhoto] = useState(false);
  const act = useAdminAction(
    (action: 'approve' | 'reject') => `/api/v1/admin/nutrition/review/${log.id}/${action}`,
  );
  const label = `${log.meal_type} of ${formatDateTime(log.detected_at)}`;
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          checked={props.selected}
          onChange={(e) => props.onSelect(e.target.checked)}
          aria-label={`Select ${label}`}
        />
      </td>
      <td>
        <div>{label}</div>
        <div className="muted">
          Status {log.status}; confidence{' '}
          {log.confidence_score === null ? '—' : formatNumber(log.confidence_score, 2)}
          {log.verifier_agreed === false && '; verifier disagreed'}
        </div>
      </td>
      <td>
        {log.items.length === 0 ? (
          <Badge tone="warn">No items</Badge>
        ) : (
          <ul>
            {log.items.map((item) => (
              <li key={item.id}>
                {item.dish_name}
                {item.quantity_grams !== null && `, ${formatNumber(item.quantity_grams)} g`}
                {item.calories_kcal !== null && `, ${formatNumber(item.calories_kcal)} kcal`}
              </li>
            ))}
          </ul>
        )}
        {log.total_kcal !== null && <div className="muted">Total {formatNumber(log.total_kcal)} kcal</div>}
      </td>
      <td>
        <Button variant="link" aria-expanded={showPhoto} onClick={() => setShowPhoto(!showPhoto)}>
          {showPhoto ? 'Hide photo' : 'Show photo'}
        </Button>
        {showPhoto && <Photo logId={log.id} />}
      </td>
      <td>
        <div className="row">
          <Button
            variant="primary"
            busy={act.isPending}
            onClick={() => act.mutate('approve')}
            aria-label={`Approve ${label}`}
          >
            Approve
          </Button>
          <Button
            variant="danger"
            busy={act.isPending}
            onClick={() => act.mutate('reject')}
            aria-label={`Reject ${label}`}
          >
            Reject
          </Button>
        </div>
        {act.isError && <ErrorNote error={act.error} />}
      </td>
    </tr>
  );
}

export default function AdminNutritionReview() {
  const [cursor, setCursor] = useState<string | undefined>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const queue = useAdminQuery<Queue>(apiPath('/admin/nutrition/review/queue', { limit: 50, cursor }));
  const bulk = useAdminAction(
    () => '/api/v1/admin/nutrition/review/bulk',
    (action: 'approve' | 'reject') => ({ action, log_ids: [...selected] }),
  );
  const [outcome, setOutcome] = useState<string>();
  const runBulk = (action: 'approve' | 'reject') => {
    setOutcome(undefined);
    bulk.mutate(action, {
      onSuccess: (result) => {
        const results = (result as { results?: { outcome: string }[] }).results ?? [];
        const done = results.filter((r) => r.outcome === 'approved' || r.outcome === 'rejected').length;
        setOutcome(`${done} of ${results.length} ${action === 'approve' ? 'approved' : 'rejected'}.`);
        setSelected(new Set());
      },
    });
  };
  return (
    <>
      <AdminHeader
        title="Nutrition review"
        description="Meal logs with low confidence, a disagreeing verifier or a failed recognition."
      />
      <Section
        title="Queue"
        actions={
          <div className="row">
            <Button disabled={selected.size === 0} busy={bulk.isPending} onClick={() => runBulk('approve')}>
              Approve selected ({selected.size})
            </Button>
            <Button
              variant="danger"
              disabled={selected.size === 0}
              busy={bulk.isPending}
              onClick={() => runBulk('reject')}
            >
              Reject selected ({selected.size})
            </Button>
          </div>
        }
      >
        {bulk.isError && <ErrorNote error={bulk.error} />}
        {outcome && <p role="status">{outcome}</p>}
        <QueryView query={queue}>
          {({ data, pagination }) =>
            data.length === 0 ? (
              <Empty title="Nothing awaits review" />
            ) : (
              <>
                <p className="muted">
                  {formatNumber(pagination.total_count)} logs await review (bulk: at most 200 at once).
                </p>
                <Table caption="Logs awaiting review" head={['Select', 'Meal', 'Items', 'Photo', 'Actions']}>
                  {data.map((log) => (
                    <LogRow
                      key={log.id}
                      log={log}
                      selected={selected.has(log.id)}
                      onSelect={(on) => {
                        const next = new Set(selected);
                        if (on) next.add(log.id);
                        else next.delete(log.id);
                        setSelected(next);
                      }}
                    />
                  ))}
                </Table>
                <div className="row pager">
                  {cursor && <Button onClick={() => setCursor(undefined)}>First page</Button>}
                  {pagination.has_more && pagination.next_cursor && (
                    <Button onClick={() => setCursor(pagination.next_cursor ?? undefined)}>Next page</Button>
                  )}
                </div>
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
