import { RendererWatchdog } from '../../src-main/electron/renderer-watchdog';

function setup() {
  let now = 0;
  const log: string[] = [];
  const watchdog = new RendererWatchdog(
    {
      reload: () => log.push('reload'),
      kill: () => log.push('kill'),
      showCrashLoop: () => log.push('crash-loop'),
      incident: (key, severity) => log.push(`incident:${key}:${severity}`),
    },
    { hangGraceMs: 1000, crashLoopCount: 3, crashLoopWindowMs: 60_000 },
    () => now,
  );
  return { watchdog, log, advance: (ms: number) => (now += ms) };
}

describe('renderer watchdog', () => {
  afterEach(() => jest.useRealTimers());

  it('reloads a crashed renderer and records it; ignores a clean exit', () => {
    const { watchdog, log } = setup();
    watchdog.gone('clean-exit', 0);
    expect(log).toEqual([]);
    watchdog.gone('crashed', 139);
    expect(log).toEqual(['incident:renderer_crash:warning', 'reload']);
  });

  it('stops reloading after 3 crashes in a minute, and starts again when asked', () => {
    const { watchdog, log, advance } = setup();
    watchdog.gone('crashed', 1);
    advance(70_000); // outside the window: does not count
    watchdog.gone('oom', 1);
    advance(1000);
    watchdog.gone('crashed', 1);
    expect(log.filter((l) => l === 'reload')).toHaveLength(3);
    advance(1000);
    watchdog.gone('crashed', 1);
    expect(log.slice(-2)).toEqual(['incident:renderer_crash:critical', 'crash-loop']);
    expect(log.filter((l) => l === 'reload')).toHaveLength(3);
    watchdog.retry();
    expect(log.at(-1)).toBe('reload');
  });

  it('reloads a renderer that stays unresponsive past the grace period, not one that recovers', () => {
    jest.useFakeTimers();
    const { watchdog, log } = setup();
    watchdog.unresponsive();
    jest.advanceTimersByTime(900);
    watchdog.responsive();
    jest.advanceTimersByTime(5000);
    expect(log).toEqual([]);
    watchdog.unresponsive();
    watchdog.unresponsive(); // repeated events: one timer
    jest.advanceTimersByTime(1000);
    expect(log).toEqual(['incident:renderer_hang:warning', 'kill', 'reload']);
  });
});
