import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button, Field, Select } from '../ui.tsx';
import { DAY_MS, toLocalInput } from './format.ts';

/** Pickers shared by the panels: all native inputs, so they work with the keyboard as they are. */

export interface TimeRange {
  preset: string;
  from: number;
  to: number;
}

const PRESETS: Record<string, { label: string; ms: number }> = {
  '24h': { label: 'Last 24 hours', ms: DAY_MS },
  '7d': { label: 'Last 7 days', ms: 7 * DAY_MS },
  '30d': { label: 'Last 30 days', ms: 30 * DAY_MS },
};

/** A preset anchored at now (to the next whole minute, so re-renders ask the same question). */
export function presetRange(preset: string): TimeRange {
  const ms = PRESETS[preset]?.ms ?? DAY_MS;
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  return { preset, from: to - ms, to };
}

/** Time range: last 24 h / 7 d / 30 d, or a custom from–to (applied with a button). */
export function RangePicker(props: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  const [custom, setCustom] = useState(props.value.preset === 'custom');
  const [from, setFrom] = useState(toLocalInput(props.value.from));
  const [to, setTo] = useState(toLocalInput(props.value.to));
  const [error, setError] = useState<string>();
  // A range set from outside (a "show the last day with data" link) shows up in the custom fields.
  useEffect(() => {
    if (props.value.preset !== 'custom') return;
    setCustom(true);
    setFrom(toLocalInput(props.value.from));
    setTo(toLocalInput(props.value.to));
  }, [props.value]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const f = new Date(from).getTime();
    const t = new Date(to).getTime();
    if (Number.isNaN(f) || Number.isNaN(t)) return setError('Enter both dates');
    if (t <= f) return setError('"To" must be after "From"');
    setError(undefined);
    props.onChange({ preset: 'custom', from: f, to: t });
  };
  return (
    <div className="row charts-range">
      <Select
        label="Time range"
        value={custom ? 'custom' : props.value.preset}
        options={[
          ...Object.entries(PRESETS).map(([value, p]) => ({ value, label: p.label })),
          { value: 'custom', label: 'Custom…' },
        ]}
        onChange={(event) => {
          const preset = event.target.value;
          if (preset === 'custom') {
            setFrom(toLocalInput(props.value.from));
            setTo(toLocalInput(props.value.to));
            setCustom(true);
          } else {
            setCustom(false);
            props.onChange(presetRange(preset));
          }
        }}
      />
      {custom && (
        <form className="row" onSubmit={apply} aria-label="Custom time range">
          <Field
            label="From"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
          <Field
            label="To"
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            error={error}
            required
          />
          <div className="field">
            <Button type="submit">Apply range</Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** A radio group drawn as segmented buttons (arrow keys move between options, as radios do). */
export function Segmented<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  describe?: (value: T) => string;
}) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend>{props.label}</legend>
      <div className="segmented-options">
        {props.options.map((option) => (
          <label key={option} className={option === props.value ? 'selected' : undefined}>
            <input
              type="radio"
              name={name}
              value={option}
              checked={option === props.value}
              onChange={() => props.onChange(option)}
            />
            <span>{props.describe ? props.describe(option) : option}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
