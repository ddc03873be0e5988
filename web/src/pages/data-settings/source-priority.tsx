import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Button, Empty, ErrorNote, Loading, Section, Table } from '../../ui.tsx';
import { describeRule, type Rule, RuleList } from './rules.tsx';
import { UserPicker } from './user-picker.tsx';

interface Effective {
  rank: number;
  source_id: number;
  provider: string;
  device: string | null;
  reason: string;
}

const DEFAULT_ORDER = 'watch, ring, band, chest strap, scale, phone, anything else';

/** The server's short `reason` ("user rule 2", "developer rule 1", "default: watch") in words. */
function explain(reason: string, userRules: Rule[], devRules: Rule[]): { label: string; why: string } {
  const user = /^user rule (\d+)$/.exec(reason);
  if (user) {
    const rule = userRules[Number(user[1]) - 1];
    return {
      label: `User rule ${user[1]}`,
      why: `This user's own rule ${user[1]}${rule ? ` (${describeRule(rule)})` : ''} matches; user rules come before everything else.`,
    };
  }
  const dev = /^developer rule (\d+)$/.exec(reason);
  if (dev) {
    const rule = devRules[Number(dev[1]) - 1];
    return {
      label: `Your default rule ${dev[1]}`,
      why: `No user rule matches; your rule ${dev[1]}${rule ? ` (${describeRule(rule)})` : ''} does.`,
    };
  }
  const kind = /^default: (.+)$/.exec(reason)?.[1] ?? reason;
  return {
    label: `Built-in default (${kind})`,
    why: `No rule matches, so the device kind decides: ${DEFAULT_ORDER}. This source counts as "${kind}".`,
  };
}

function EffectiveRanking(props: { devRules: Rule[] }) {
  const [user, setUser] = useState<{ id: string; label: string }>();
  const ranking = useQuery({
    queryKey: ['source-priority', 'user', user?.id],
    queryFn: () =>
      api.get<{ priority: Rule[]; effective: Effective[] }>(
        apiPath(`/users/${encodeURIComponent(user?.id ?? '')}/source-priority`),
      ),
    enabled: user !== undefined,
  });
  return (
    <>
      <h3 className="ds-subhead">Effective ranking for one user</h3>
      <p className="muted">
        Pick a user to see the order their data sources are ranked in today (saved rules only), and why.
      </p>
      <UserPicker onPick={setUser} />
      {user && ranking.isPending && <Loading label="Loading ranking…" />}
      {ranking.isError && <ErrorNote error={ranking.error} retry={() => ranking.refetch()} />}
      {user && ranking.data && (
        <>
          <p>
            {ranking.data.priority.length > 0
              ? `${user.label} has ${ranking.data.priority.length === 1 ? 'a rule' : `${ranking.data.priority.length} rules`} of their own, checked before yours.`
              : `${user.label} has no rules of their own: your rules, then the built-in default apply.`}
          </p>
          {ranking.data.effective.length === 0 ? (
            <Empty title="This user has no data sources yet" />
          ) : (
            <Table
              caption={`Effective source ranking for ${user.label}`}
              head={['Rank', 'Source', 'Ranked by', 'Why']}
            >
              {ranking.data.effective.map((row) => {
                const { label, why } = explain(row.reason, ranking.data.priority, props.devRules);
                return (
                  <tr key={row.source_id}>
                    <td>{row.rank}</td>
                    <td>
                      <span className="mono">{row.provider}</span>
                      {row.device && ` · ${row.device}`}
                    </td>
                    <td>{label}</td>
                    <td className="muted">{why}</td>
                  </tr>
                );
              })}
            </Table>
          )}
          <p className="muted">
            Sources that rank equal keep the order they were first seen in (older first).
          </p>
        </>
      )}
    </>
  );
}

export function SourcePrioritySection() {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const saved = useQuery({
    queryKey: ['source-priority', 'developer'],
    queryFn: () =>
      api.get<{ priority: Rule[] }>(apiPath('/developer/source-priority')).then((r) => r.priority),
  });
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => api.get<{ data: { slug: string }[] }>(apiPath('/providers')),
    staleTime: 5 * 60_000,
  });
  const [draft, setDraft] = useState<Rule[]>();
  const save = useMutation({
    mutationFn: (priority: Rule[]) =>
      api.put<{ priority: Rule[] }>(apiPath('/developer/source-priority'), { priority }),
    onSuccess: async (res) => {
      queryClient.setQueryData(['source-priority', 'developer'], res.priority);
      setDraft(undefined);
      await queryClient.invalidateQueries({ queryKey: ['source-priority', 'user'] });
    },
  });
  const rules = draft ?? saved.data ?? [];
  const dirty = draft !== undefined && JSON.stringify(draft) !== JSON.stringify(saved.data);
  return (
    <Section title="Source priority">
      <p>
        When two sources record the same cumulative metric in the same hour (an iPhone and an Apple Watch both
        counting steps, Garmin and Oura both counting calories), daily totals take that hour from the
        best-ranked source only, so nothing is counted twice. A source is ranked by the first match of: the
        user's own rules (set through the API), then your default rules below, in order; then the built-in
        default by device kind ({DEFAULT_ORDER}).
      </p>
      <h3>Your default rules</h3>
      {saved.isPending && <Loading label="Loading rules…" />}
      {saved.isError && <ErrorNote error={saved.error} retry={() => saved.refetch()} />}
      {saved.data && (
        <>
          <RuleList
            rules={rules}
            providers={(providers.data?.data ?? []).map((p) => p.slug)}
            readOnly={!canWrite}
            onChange={setDraft}
          />
          {save.isError && <ErrorNote error={save.error} />}
          {canWrite && (
            <div className="row ds-save-row">
              <Button
                variant="primary"
                disabled={!dirty}
                busy={save.isPending}
                onClick={() => save.mutate(rules)}
              >
                Save rules
              </Button>
              {dirty && <Button onClick={() => setDraft(undefined)}>Discard changes</Button>}
              {dirty && <span className="muted">Unsaved changes.</span>}
              {save.isSuccess && !dirty && (
                <span role="status" className="muted">
                  Saved.
                </span>
              )}
            </div>
          )}
        </>
      )}
      <EffectiveRanking devRules={saved.data ?? []} />
    </Section>
  );
}
