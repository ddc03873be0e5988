import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export interface TabDef {
  id: string;
  label: string;
}

/**
 * WAI-ARIA tabs: one tab stop (the selected tab), arrow keys / Home / End move between tabs and select
 * (automatic activation), the panel is labelled by its tab. The selected id lives with the caller (URL).
 */
export function Tabs(props: {
  label: string;
  tabs: readonly TabDef[];
  selected: string;
  onSelect: (id: string) => void;
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const index = Math.max(
    0,
    props.tabs.findIndex((tab) => tab.id === props.selected),
  );
  const current = props.tabs[index];
  const move = (event: KeyboardEvent) => {
    const last = props.tabs.length - 1;
    const to =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    const tab = to === undefined ? undefined : props.tabs[to];
    if (!tab) return;
    event.preventDefault();
    props.onSelect(tab.id);
    refs.current.get(tab.id)?.focus();
  };
  return (
    <div className="users-tabs">
      <div role="tablist" aria-label={props.label} className="users-tablist" onKeyDown={move}>
        {props.tabs.map((tab) => {
          const selected = tab.id === current?.id;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                if (el) refs.current.set(tab.id, el);
                else refs.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`${base}-panel`}
              tabIndex={selected ? 0 : -1}
              className="users-tab"
              onClick={() => props.onSelect(tab.id)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${current?.id ?? ''}`}
        className="users-tabpanel"
      >
        {props.children}
      </div>
    </div>
  );
}
