/**
 * Funnels, goals and journeys over event streams, the same functions for the server's figures
 * across users and the app's local-only ones. Events are `{ userId, type, at, screen? }`; a
 * funnel step or goal names an event type (and, for screen views, the screen).
 */

export interface StreamEvent {
  userId: string;
  type: string;
  at: number;
  /** For `screen.viewed`. */
  screen?: string;
}

export interface StepDefinition {
  type: string;
  screen?: string;
}

export interface FunnelStepResult {
  step: StepDefinition;
  /** Users who reached this step in order within the window. */
  users: number;
  /** Share of the previous step's users (1 for the first step). */
  conversion: number;
  /** Users of the previous step who did not reach this one. */
  dropOff: number;
}

const matches = (event: StreamEvent, step: StepDefinition) =>
  event.type === step.type && (step.screen === undefined || event.screen === step.screen);

/**
 * The one order of events everywhere (these stream functions, the stored timelines, the
 * dashboard): by time, and events of the same millisecond by type, then screen (no screen
 * first), in code-unit order as SQLite's BINARY collation sorts them.
 */
export function compareEvents(a: StreamEvent, b: StreamEvent): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const sa = a.screen ?? '';
  const sb = b.screen ?? '';
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function byUser(events: Iterable<StreamEvent>): Map<string, StreamEvent[]> {
  const users = new Map<string, StreamEvent[]>();
  for (const event of events) {
    let list = users.get(event.userId);
    if (!list) users.set(event.userId, (list = []));
    list.push(event);
  }
  for (const list of users.values()) list.sort(compareEvents);
  return users;
}

/**
 * One user's time-ordered events as the funnel and journey cores read them: by index, so that
 * the same code runs over arrays of objects and over the stored timelines' typed arrays.
 */
export interface OrderedEvents {
  readonly length: number;
  at(i: number): number;
  /** Whether event `i` is what step `step` (an index into the steps) asks for. */
  fits(i: number, step: number): boolean;
}

/**
 * How many of `stepCount` steps one user's time-ordered events complete in order, with the last
 * one at most `windowMs` after the first. Every first-step occurrence is tried as the start; from
 * a given start, taking each next step at its earliest occurrence is optimal.
 */
export function stepsReachedIn(events: OrderedEvents, stepCount: number, windowMs: number) {
  let best = 0;
  for (let s = 0; s < events.length && best < stepCount; s++) {
    if (!events.fits(s, 0)) continue;
    const start = events.at(s);
    let reached = 1;
    for (let i = s + 1; i < events.length && reached < stepCount; i++) {
      if (events.at(i) - start > windowMs) break;
      if (events.fits(i, reached)) reached++;
    }
    best = Math.max(best, reached);
  }
  return best;
}

export function stepsReached(
  events: StreamEvent[],
  steps: StepDefinition[],
  windowMs: number,
): number {
  return stepsReachedIn(
    {
      length: events.length,
      at: (i) => events[i]!.at,
      fits: (i, step) => matches(events[i]!, steps[step]!),
    },
    steps.length,
    windowMs,
  );
}

/** Per-step users, conversion and drop-off from how many users reached at least each step. */
export function funnelResult(steps: StepDefinition[], counts: number[]): FunnelStepResult[] {
  return steps.map((step, i) => ({
    step,
    users: counts[i]!,
    conversion: i === 0 ? 1 : counts[i - 1] ? counts[i]! / counts[i - 1]! : 0,
    dropOff: i === 0 ? 0 : counts[i - 1]! - counts[i]!,
  }));
}

export function computeFunnel(
  events: Iterable<StreamEvent>,
  steps: StepDefinition[],
  windowMs: number,
): FunnelStepResult[] {
  const counts = new Array<number>(steps.length).fill(0);
  for (const list of byUser(events).values()) {
    const reached = stepsReached(list, steps, windowMs);
    for (let i = 0; i < reached; i++) counts[i]!++;
  }
  return funnelResult(steps, counts);
}

/** Users who reached a goal (its event at least once), of all users seen. */
export function goalConversion(
  events: Iterable<StreamEvent>,
  goal: StepDefinition,
): { users: number; converted: number; rate: number } {
  const seen = new Set<string>();
  const converted = new Set<string>();
  for (const event of events) {
    seen.add(event.userId);
    if (matches(event, goal)) converted.add(event.userId);
  }
  return {
    users: seen.size,
    converted: converted.size,
    rate: seen.size ? converted.size / seen.size : 0,
  };
}

export interface JourneyCount {
  path: string[];
  users: number;
}

export interface JourneyOptions {
  /** Screens kept from the start of each session. */
  depth?: number;
  limit?: number;
  /** A pause longer than this starts a new session. */
  sessionGapMs?: number;
}

/**
 * The most common paths through screens: per user, the screens viewed in order (repeats of the
 * same screen in a row collapsed), cut into sessions at gaps over `sessionGapMs`, each session's
 * first `depth` screens counted once per user. Fed one user at a time, in time order.
 */
export class JourneyCounter {
  private readonly depth: number;
  private readonly gap: number;
  /** Paths as numbers (10 bits per screen), so that counting never builds strings. */
  private readonly screenIds = new Map<string, number>();
  private readonly screens: string[] = [];
  private readonly users = new Map<number, number>();
  private readonly seenByUser = new Set<number>();
  private key = 0;
  private length = 0;
  private lastScreen = -1;
  private last = -Infinity;

  constructor(private readonly options: JourneyOptions = {}) {
    this.depth = options.depth ?? 4;
    this.gap = options.sessionGapMs ?? 30 * 60_000;
    if (this.depth < 1 || this.depth > 5) throw new Error('journey depth must be 1 to 5');
  }

  startUser(): void {
    this.flush();
    this.seenByUser.clear();
    this.last = -Infinity;
  }

  view(at: number, screen: string): void {
    if (at - this.last > this.gap) this.flush();
    this.last = at;
    let id = this.screenIds.get(screen);
    if (id === undefined) {
      id = this.screens.push(screen);
      if (id >= 1024) throw new Error('too many screens for journeys');
      this.screenIds.set(screen, id);
    }
    if (this.length < this.depth && id !== this.lastScreen) {
      this.key = this.key * 1024 + id;
      this.length++;
      this.lastScreen = id;
    }
  }

  top(): JourneyCount[] {
    this.flush();
    return [...this.users]
      .map(([key, users]) => ({ path: this.pathOf(key), users }))
      .sort((a, b) => b.users - a.users || a.path.join('>').localeCompare(b.path.join('>')))
      .slice(0, this.options.limit ?? 10);
  }

  private pathOf(key: number): string[] {
    const path: string[] = [];
    for (; key > 0; key = Math.floor(key / 1024)) path.unshift(this.screens[(key % 1024) - 1]!);
    return path;
  }

  /** Ends the current session: its path counts once for this user. */
  private flush(): void {
    if (this.length === 0) return;
    if (!this.seenByUser.has(this.key)) {
      this.seenByUser.add(this.key);
      this.users.set(this.key, (this.users.get(this.key) ?? 0) + 1);
    }
    this.key = 0;
    this.length = 0;
    this.lastScreen = -1;
  }
}

export function topJourneys(
  events: Iterable<StreamEvent>,
  options: JourneyOptions = {},
): JourneyCount[] {
  const counter = new JourneyCounter(options);
  for (const list of byUser(events).values()) {
    counter.startUser();
    for (const event of list)
      if (event.type === 'screen.viewed' && event.screen) counter.view(event.at, event.screen);
  }
  return counter.top();
}
