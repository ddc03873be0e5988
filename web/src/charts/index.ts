/**
 * The user detail page's charts. Each panel takes the user's id and loads its own data; uPlot is
 * fetched only when a timeseries chart first renders (see uplot-chart.tsx).
 */
export { SleepPanel } from './sleep-panel.tsx';
export { TimeseriesPanel } from './timeseries-panel.tsx';
export { WorkoutsPanel } from './workouts-panel.tsx';
