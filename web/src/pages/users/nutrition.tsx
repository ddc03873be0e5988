import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api, apiPath } from '../../api.ts';
import {
  Badge,
  Button,
  Empty,
  ErrorNote,
  formatDateTime,
  formatNumber,
  Loading,
  Section,
} from '../../ui.tsx';

interface NutritionItem {
  id: string;
  dish_name: string;
  quantity_grams: number | null;
  calories_kcal: number | null;
}
interface NutritionLog {
  id: string;
  detected_at: string;
  meal_type: string;
  status: 'pending' | 'recognized' | 'manual' | 'failed' | 'discarded';
  note: string | null;
  has_image: boolean;
  total_kcal: number | null;
  failure: { code: string; message: string } | null;
  items: NutritionItem[];
}
interface LogPage {
  data: NutritionLog[];
  pagination: { next_cursor: string | null; has_more: boolean; total_count: number };
}

const statusTone = {
  pending: 'info',
  recognized: 'ok',
  manual: 'neutral',
  failed: 'bad',
  discarded: 'neutral',
} as const;

export function NutritionSection(props: { userId: string }) {
  const logs = useInfiniteQuery({
    queryKey: ['user-nutrition', props.userId],
    queryFn: ({ pageParam }) =>
      api.get<LogPage>(apiPath('/nutrition/log', { user_id: props.userId, limit: 20, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.pagination.next_cursor ?? undefined,
  });
  const all = logs.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Nutrition logs">
      {logs.isPending ? (
        <Loading label="Loading meal logs…" />
      ) : logs.error ? (
        <ErrorNote error={logs.error} retry={() => logs.refetch()} />
      ) : all.length === 0 ? (
        <Empty title="No meal logs yet">
          <p>Your app logs meals with POST /api/v1/nutrition/log/image (a photo) or …/manual.</p>
        </Empty>
      ) : (
        <>
          <p className="muted">
            {logs.data.pages[0]?.pagination.total_count ?? all.length} meal logs, newest first
          </p>
          <ul className="users-meals">
            {all.map((log) => (
              <MealLog key={log.id} userId={props.userId} log={log} />
            ))}
          </ul>
          {logs.hasNextPage && (
            <Button busy={logs.isFetchingNextPage} onClick={() => logs.fetchNextPage()}>
              Load more meals
            </Button>
          )}
        </>
      )}
    </Section>
  );
}

function MealLog(props: { userId: string; log: NutritionLog }) {
  const { log } = props;
  return (
    <li className="users-meal">
      {log.has_image ? (
        <MealPhoto userId={props.userId} log={log} />
      ) : (
        <div className="users-meal-photo users-meal-nophoto">No photo</div>
      )}
      <div>
        <div>
          <strong>{log.meal_type}</strong> · {formatDateTime(log.detected_at)}{' '}
          <Badge tone={statusTone[log.status]}>{log.status}</Badge>
        </div>
        <div>{log.total_kcal === null ? 'Calories unknown' : `${formatNumber(log.total_kcal)} kcal`}</div>
        {log.items.length > 0 && (
          <ul className="users-meal-items">
            {log.items.map((item) => (
              <li key={item.id}>
                {item.dish_name}
                {item.quantity_grams !== null && ` — ${formatNumber(item.quantity_grams)} g`}
                {item.calories_kcal !== null && `, ${formatNumber(item.calories_kcal)} kcal`}
              </li>
            ))}
          </ul>
        )}
        {log.status === 'pending' && <p className="muted">Being recognized…</p>}
        {log.failure && <p className="muted">Recognition failed: {log.failure.message}</p>}
        {log.note && <p className="muted">{log.note}</p>}
      </div>
    </li>
  );
}

/** The photo comes through the API with the session header (an <img src> could not send it). */
function MealPhoto(props: { userId: string; log: NutritionLog }) {
  const { log } = props;
  const photo = useQuery({
    queryKey: ['meal-photo', log.id],
    queryFn: async ({ signal }) => {
      const response = await api.get<Response>(
        apiPath(`/nutrition/log/${log.id}/image`, { user_id: props.userId }),
        { raw: true, signal, headers: { accept: 'image/*' } },
      );
      return response.blob();
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!photo.data) return;
    const made = URL.createObjectURL(photo.data);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [photo.data]);
  if (photo.error) {
    const deleted = photo.error instanceof ApiError && photo.error.code === 'image_deleted';
    return (
      <div className="users-meal-photo users-meal-nophoto">
        {deleted ? 'Photo deleted (retention)' : 'Photo unavailable'}
      </div>
    );
  }
  if (!url) return <div className="users-meal-photo users-meal-nophoto">Loading photo…</div>;
  return (
    <img
      className="users-meal-photo"
      src={url}
      alt={`The ${log.meal_type} logged ${formatDateTime(log.detected_at)}`}
    />
  );
}
