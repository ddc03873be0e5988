import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../api.ts';
import { useSession } from '../session.tsx';

/**
 * Whether the signed-in account is a platform superuser (the Admin navigation group is shown only then).
 * `/auth/me` says so when it carries `is_superuser`; otherwise the admin API is asked: it answers
 * superusers and gives everyone else a plain 404 (a refusal, not an error to show).
 */
export function useIsSuperuser(): boolean {
  const { me } = useSession();
  const known = typeof me?.is_superuser === 'boolean';
  const probe = useQuery({
    queryKey: ['admin-probe', me?.id],
    queryFn: () =>
      api
        .get('/api/v1/admin/announcements/history?limit=1')
        .then(() => true)
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return false;
          throw error;
        }),
    enabled: me !== undefined && !known,
    retry: false,
    staleTime: 5 * 60_000,
  });
  if (known) return me?.is_superuser === true;
  return probe.data === true;
}
