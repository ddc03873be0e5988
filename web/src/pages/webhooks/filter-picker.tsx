import { useId } from 'react';
import { ErrorNote, Loading } from '../../ui.tsx';
import { type EventType, filterCovers, useEventCatalogue } from './model.ts';

/** Either every event (no filters, the API's empty list) or the chosen names and group wildcards. */
export interface FilterChoice {
  all: boolean;
  filters: string[];
}

export const choiceOf = (filters: string[]): FilterChoice => ({
  all: filters.length === 0 || filters.includes('*'),
  filters: filters.filter((f) => f !== '*'),
});

/** The list to send, or an error message when "chosen events" has none (an empty list means all). */
export function filtersToSend(choice: FilterChoice): string[] | string {
  if (choice.all) return [];
  return choice.filters.length > 0 ? choice.filters : 'Choose at least one event, or pick "All events".';
}

function Check(props: {
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  onChange(v: boolean): void;
}) {
  return (
    <label className="wh-check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>
        <span className="mono">{props.label}</span>
        {props.hint && <span className="muted"> — {props.hint}</span>}
      </span>
    </label>
  );
}

/**
 * Event filters from GET /webhooks/event-types: a group wildcard (`sync.*`) per group, and each event
 * under it on demand. An event a chosen wildcard already covers shows as included and cannot be picked
 * twice.
 */
export function FilterPicker(props: {
  value: FilterChoice;
  onChange(next: FilterChoice): void;
  error?: string;
}) {
  const catalogue = useEventCatalogue();
  const name = useId();
  const { value, onChange } = props;
  const set = (filter: string, on: boolean) => {
    const rest = value.filters.filter((f) => f !== filter);
    let next = on ? [...rest, filter] : rest;
    // A wildcard makes the single events it covers redundant.
    if (on && filter.endsWith('.*')) next = next.filter((f) => f === filter || !filterCovers(filter, f));
    onChange({ all: false, filters: next });
  };
  const groups = new Map<string, EventType[]>();
  for (const type of catalogue.data?.data ?? []) {
    const wildcard = `${type.name.split('.')[0]}.*`;
    groups.set(wildcard, [...(groups.get(wildcard) ?? []), type]);
  }
  const known = new Set([...(catalogue.data?.data ?? []).map((t) => t.name), ...groups.keys()]);
  const unknown = value.filters.filter((f) => !known.has(f));
  return (
    <fieldset className="wh-filters" aria-describedby={props.error ? `${name}-error` : undefined}>
      <legend>Events to send</legend>
      <label className="wh-check">
        <input
          type="radio"
          name={name}
          checked={value.all}
          onChange={() => onChange({ ...value, all: true })}
        />
        <span>All events (including event types added later)</span>
      </label>
      <label className="wh-check">
        <input
          type="radio"
          name={name}
          checked={!value.all}
          onChange={() => onChange({ ...value, all: false })}
        />
        <span>Only the events chosen below</span>
      </label>
      {props.error && (
        <div id={`${name}-error`} className="field-error">
          {props.error}
        </div>
      )}
      {!value.all && catalogue.isPending && <Loading label="Loading event types…" />}
      {!value.all && catalogue.isError && (
        <ErrorNote error={catalogue.error} retry={() => catalogue.refetch()} />
      )}
      {!value.all && (
        <div className="wh-groups">
          {[...groups].map(([wildcard, types]) => {
            const group = wildcard.slice(0, -2);
            const coveredBy = value.filters.includes(wildcard);
            const chosen = types.filter((t) => value.filters.includes(t.name)).length;
            return (
              <div key={wildcard} className="wh-group">
                <Check
                  label={wildcard}
                  hint={`every ${group} event (${types.length}), also ones added later`}
                  checked={coveredBy}
                  onChange={(on) => set(wildcard, on)}
                />
                <details>
                  <summary>
                    Choose {group} events one by one{chosen > 0 ? ` (${chosen} chosen)` : ''}
                  </summary>
                  {types.map((type) => (
                    <Check
                      key={type.name}
                      label={type.name}
                      hint={coveredBy ? `included by ${wildcard}` : type.description}
                      checked={coveredBy || value.filters.includes(type.name)}
                      disabled={coveredBy}
                      onChange={(on) => set(type.name, on)}
                    />
                  ))}
                </details>
              </div>
            );
          })}
          {unknown.map((filter) => (
            <Check
              key={filter}
              label={filter}
              hint="no longer in the catalogue; untick to remove"
              checked
              onChange={(on) => set(filter, on)}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}
