import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ErrorNote, Loading } from '../ui.tsx';

/**
 * uPlot is fetched on first use only, in a chunk of its own: the user detail page renders its text
 * (connections, summaries) without waiting for the chart library, and the first load never carries it.
 */
let library: Promise<typeof uPlot> | undefined;
function loadUPlot(): Promise<typeof uPlot> {
  library ??= import('uplot').then((module) => module.default);
  // A failed chunk load (offline, redeploy) is retried next time rather than remembered.
  library.catch(() => {
    library = undefined;
  });
  return library;
}

export interface UPlotChartProps {
  /** Everything but width, height and the select hook (the chart owns those). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  /** Called with the x range (seconds) the user dragged over; the selection is cleared. */
  onSelectRange?: (from: number, to: number) => void;
}

/**
 * A uPlot canvas sized to its container (and re-sized with it). The canvas is hidden from assistive
 * technology: every chart in this folder comes with a text alternative next to it.
 */
export function UPlotChart(props: UPlotChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [ctor, setCtor] = useState<typeof uPlot>();
  const [error, setError] = useState<unknown>();
  const onSelect = useRef(props.onSelectRange);
  onSelect.current = props.onSelectRange;
  const height = props.height ?? 280;

  useEffect(() => {
    let live = true;
    loadUPlot().then(
      (loaded) => live && setCtor(() => loaded),
      (caught: unknown) => live && setError(caught),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const element = ref.current;
    if (!ctor || !element) return;
    const width = () => Math.max(element.clientWidth, 200);
    const chart = new ctor(
      {
        ...props.options,
        width: width(),
        height,
        hooks: {
          ...props.options.hooks,
          setSelect: [
            (u: uPlot) => {
              if (u.select.width < 2) return;
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              onSelect.current?.(from, to);
            },
          ],
        },
      },
      props.data,
      element,
    );
    const observer = new ResizeObserver(() => {
      if (chart.width !== width()) chart.setSize({ width: width(), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [ctor, props.options, props.data, height]);

  if (error !== undefined) return <ErrorNote error={error} />;
  return (
    <div className="uplot-host" aria-hidden="true" ref={ref} style={{ minHeight: height }}>
      {!ctor && <Loading label="Loading chart…" />}
    </div>
  );
}
