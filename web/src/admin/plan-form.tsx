import { useState } from 'react';
import { Button, ErrorNote, Select } from '../ui.tsx';
import { useAdminAction } from './common.tsx';

const PLANS = ['hobby', 'developer', 'scale', 'enterprise'];

/** Sets a developer's plan by hand (an instance without Razorpay); its quotas apply at once. */
export function PlanForm(props: { developerId: string; current: string | undefined }) {
  const [plan, setPlan] = useState(props.current ?? 'hobby');
  const save = useAdminAction(
    () => `/api/v1/admin/developers/${props.developerId}/plan`,
    () => ({ plan }),
  );
  return (
    <form
      className="row admin-filters"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(undefined);
      }}
    >
      <Select
        label="Plan"
        value={plan}
        onChange={(e) => setPlan(e.target.value)}
        options={PLANS.map((p) => ({ value: p, label: p }))}
      />
      <Button type="submit" busy={save.isPending} disabled={plan === props.current}>
        Set plan
      </Button>
      {save.isError && <ErrorNote error={save.error} />}
      {save.isSuccess && <p role="status">Plan saved.</p>}
    </form>
  );
}
