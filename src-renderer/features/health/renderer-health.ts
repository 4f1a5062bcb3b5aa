/**
 * The renderer's own figures for main's health monitor: its JS heap (Chromium's
 * performance.memory) and the longest main-thread stall since the last report (long tasks).
 */
import { call } from '../../lib/api';

export function startRendererHealthReports(intervalMs = 5000): () => void {
  let longest = 0;
  let observer: PerformanceObserver | null = null;
  try {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
  } catch {
    observer = null; // no long-task timing here: stalls are reported as 0
  }
  const report = () => {
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    const longestTaskMs = Math.round(longest);
    longest = 0;
    if (!memory) return;
    call('health.renderer', { memoryBytes: memory.usedJSHeapSize, longestTaskMs }).catch(() => {
      // main is restarting or gone; the next report will tell
    });
  };
  report();
  const timer = setInterval(report, intervalMs);
  return () => {
    clearInterval(timer);
    observer?.disconnect();
  };
}
