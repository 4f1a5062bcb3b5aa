/**
 * The renderer's own memory for main's health monitor (Chromium's performance.memory): a page in
 * the browser host is not in main's process list, and in Electron it confirms the process figure.
 */
import { call } from '../../lib/api';

export function startRendererHealthReports(intervalMs = 5000): () => void {
  const report = () => {
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    if (!memory) return;
    call('health.renderer', { memoryBytes: memory.usedJSHeapSize }).catch(() => {
      // main is restarting or gone; the next report will tell
    });
  };
  report();
  const timer = setInterval(report, intervalMs);
  return () => clearInterval(timer);
}
