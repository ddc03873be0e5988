import { Badge } from '../../ui.tsx';
import type { Endpoint } from './model.ts';

/** Enabled / failing / disabled, in words (never colour alone). */
export function StateBadge(props: { endpoint: Endpoint }) {
  const { endpoint } = props;
  if (endpoint.disabled) return <Badge tone="bad">Disabled</Badge>;
  if (endpoint.failing_since) return <Badge tone="warn">Enabled, failing</Badge>;
  return <Badge tone="ok">Enabled</Badge>;
}
