import { type RefObject, useLayoutEffect, useRef, useState } from 'react';

/**
 * The rendered width of an element, kept current. SVG charts draw in pixels of their real width, so
 * their text stays 12 px on a phone and on a wide screen instead of scaling with a fixed viewBox.
 */
export function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const measured = Math.round(element.clientWidth);
      if (measured > 0) setWidth(Math.max(measured, 240));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
