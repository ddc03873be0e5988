import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button, Field } from '../../ui.tsx';

/** A source-priority rule (src/health-data/source-priority.ts): every given field must match, case-insensitively. */
export interface Rule {
  provider?: string;
  device_type?: string;
  device_name?: string;
  device_model?: string;
  app_name?: string;
}

const FIELDS: { key: keyof Rule; label: string; example: string }[] = [
  { key: 'provider', label: 'Provider', example: 'garmin' },
  { key: 'device_type', label: 'Device type', example: 'watch' },
  { key: 'device_name', label: 'Device name', example: 'Forerunner 265' },
  { key: 'device_model', label: 'Device model', example: 'Watch7,1' },
  { key: 'app_name', label: 'App name', example: 'Strava' },
];

export function describeRule(rule: Rule): string {
  return FIELDS.filter((f) => rule[f.key])
    .map((f) => `${f.label.toLowerCase()} is "${rule[f.key]}"`)
    .join(' and ');
}

/** Add or edit one rule: at least one field. */
function RuleForm(props: { initial?: Rule; providers: string[]; onDone(rule: Rule | undefined): void }) {
  const [rule, setRule] = useState<Rule>(props.initial ?? {});
  const [error, setError] = useState<string>();
  const listId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean: Rule = {};
    for (const { key } of FIELDS) {
      const value = rule[key]?.trim();
      if (value) clean[key] = value;
    }
    if (Object.keys(clean).length === 0) {
      setError('Fill in at least one field for the rule to match on.');
      return;
    }
    props.onDone(clean);
  };
  return (
    <form
      className="ds-rule-form"
      onSubmit={submit}
      aria-label={props.initial ? 'Edit rule' : 'New rule'}
      noValidate
    >
      <datalist id={listId}>
        {props.providers.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <div className="grid">
        {FIELDS.map((f) => (
          <Field
            key={f.key}
            label={f.label}
            value={rule[f.key] ?? ''}
            placeholder={f.example}
            list={f.key === 'provider' ? listId : undefined}
            maxLength={f.key === 'provider' || f.key === 'device_type' ? 100 : 200}
            onChange={(e) => {
              setRule({ ...rule, [f.key]: e.currentTarget.value });
              setError(undefined);
            }}
          />
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary">
          {props.initial ? 'Update rule' : 'Add rule'}
        </Button>
        <Button onClick={() => props.onDone(undefined)}>Cancel</Button>
      </div>
    </form>
  );
}

/**
 * An ordered rule list, first = most preferred, reordered with Up/Down buttons (keyboard friendly;
 * focus follows the moved rule).
 */
export function RuleList(props: {
  rules: Rule[];
  providers: string[];
  readOnly: boolean;
  onChange(rules: Rule[]): void;
}) {
  const { rules, onChange } = props;
  const id = useId();
  const [editing, setEditing] = useState<number | 'new'>();
  const [focus, setFocus] = useState<{ index: number; dir: 'up' | 'down' }>();
  useEffect(() => {
    if (!focus) return;
    const at = (dir: string) =>
      document.getElementById(`${id}-${dir}-${focus.index}`) as HTMLButtonElement | null;
    const wanted = at(focus.dir);
    (wanted && !wanted.disabled ? wanted : at(focus.dir === 'up' ? 'down' : 'up'))?.focus();
    setFocus(undefined);
  }, [focus, id]);
  const move = (index: number, dir: 'up' | 'down') => {
    const to = dir === 'up' ? index - 1 : index + 1;
    const next = [...rules];
    [next[index], next[to]] = [next[to] as Rule, next[index] as Rule];
    onChange(next);
    setFocus({ index: to, dir });
  };
  return (
    <>
      {rules.length === 0 ? (
        <p className="muted">No rules: the built-in default order applies.</p>
      ) : (
        <ol className="ds-rules">
          {rules.map((rule, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity but their place in the list
            <li key={index}>
              {editing === index ? (
                <RuleForm
                  initial={rule}
                  providers={props.providers}
                  onDone={(changed) => {
                    if (changed) onChange(rules.map((r, i) => (i === index ? changed : r)));
                    setEditing(undefined);
                  }}
                />
              ) : (
                <>
                  <span className="ds-rule-text">
                    <strong>Rule {index + 1}:</strong> sources whose {describeRule(rule)}
                  </span>
                  {!props.readOnly && (
                    <span className="ds-rule-actions">
                      <Button
                        id={`${id}-up-${index}`}
                        aria-label={`Move rule ${index + 1} up`}
                        disabled={index === 0}
                        onClick={() => move(index, 'up')}
                      >
                        Up
                      </Button>
                      <Button
                        id={`${id}-down-${index}`}
                        aria-label={`Move rule ${index + 1} down`}
                        disabled={index === rules.length - 1}
                        onClick={() => move(index, 'down')}
                      >
                        Down
                      </Button>
                      <Button aria-label={`Edit rule ${index + 1}`} onClick={() => setEditing(index)}>
                        Edit
                      </Button>
                      <Button
                        variant="danger"
                        aria-label={`Remove rule ${index + 1}`}
                        onClick={() => onChange(rules.filter((_, i) => i !== index))}
                      >
                        Remove
                      </Button>
                    </span>
                  )}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {!props.readOnly &&
        (editing === 'new' ? (
          <RuleForm
            providers={props.providers}
            onDone={(rule) => {
              if (rule) onChange([...rules, rule]);
              setEditing(undefined);
            }}
          />
        ) : (
          <Button onClick={() => setEditing('new')} disabled={rules.length >= 50}>
            New rule
          </Button>
        ))}
    </>
  );
}
