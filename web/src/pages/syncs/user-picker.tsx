import { useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../../api.ts';
import { Select } from '../../ui.tsx';
import { type UserSummary, userLabel } from './shared.ts';

export function useUsers() {
  return useQuery({
    queryKey: ['users', 'picker'],
    queryFn: () => api.get<{ data: UserSummary[] }>(apiPath('/users', { limit: 100 })),
    select: (page) => page.data,
  });
}

/** A select labelled "User" over the tenant's (first 100) users; `value` is kept even if not listed. */
export function UserPicker(props: {
  users: UserSummary[];
  value: string | undefined;
  onChange: (userId: string) => void;
}) {
  const options = props.users.map((u) => ({ value: u.id, label: userLabel(u) }));
  if (props.value && !options.some((o) => o.value === props.value)) {
    options.unshift({ value: props.value, label: props.value });
  }
  if (!props.value) options.unshift({ value: '', label: 'Choose a user' });
  return (
    <Select
      label="User"
      value={props.value ?? ''}
      options={options}
      onChange={(event) => props.onChange(event.target.value)}
    />
  );
}
