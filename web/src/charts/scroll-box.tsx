import type { ReactNode } from 'react';

/**
 * A table's horizontal scroller (.table-wrap) that keyboard users can focus and scroll with the arrow
 * keys: on a phone the wide chart tables scroll sideways, and a scroll region must be reachable.
 */
export function ScrollBox(props: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-wrap" tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}
