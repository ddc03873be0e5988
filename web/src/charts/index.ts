import { createElement } from 'react';

/**
 * Placeholder written by the users page so that it builds before the charts land; the charts engineer
 * replaces this file with the real panels (same names, props `{userId: string}`).
 */
const placeholder = (title: string) =>
  function Placeholder(_props: { userId: string }) {
    return createElement('p', { className: 'muted' }, `${title} charts are not available yet.`);
  };

export const TimeseriesPanel = placeholder('Timeseries');
export const WorkoutsPanel = placeholder('Workouts');
export const SleepPanel = placeholder('Sleep');
