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

function byUser(events: Iterable<StreamEvent>): Map<string, StreamEvent[]> {
  const users = new Map<string, StreamEvent[]>();
  for (const event of events) {
    let list = users.get(event.userId);
    if (!list) users.set(event.userId, (list = []));
    list.push(event);
  }
  for (const list of users.values()) list.sort((a, b) => a.at - b.at);
  return users;
}

/**
 * How many steps of `steps` one user's time-ordered events complete in order, with the last one
 * at most `windowMs` after the first. Every first-step occurrence is tried as the start; from a
 * given start, taking each next step at its earliest occurrence is optimal.
 */
export function stepsReached(
  events: StreamEvent[],
  steps: StepDefinition[],
  windowMs: number,
): number {
  if (steps.length === 0) return 0;
  let best = 0;
  for (let s = 0; s < events.length && best < steps.length; s++) {
    if (!matches(events[s]!, steps[0]!)) continue;
    const start = events[s]!.at;
    let reached = 1;
    for (let i = s + 1; i < events.length && reached < steps.length; i++) {
      const event = events[i]!;
      if (event.at - start > windowMs) break;
      if (matches(event, steps[reached]!)) reached++;
    }
    best = Math.max(best, reached);
  }
  return best;
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
  return steps.map((step, i) => ({
    step,
    users: counts[i]!,
    conversion: i === 0 ? 1 : counts[i - 1] ? counts[i]! / counts[i - 1]! : 0,
    dropOff: i === 0 ? 0 : counts[i - 1]! - counts[i]!,
  }));
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

/**
 * The most common paths through screens: per user, the screens viewed in order (repeats of the
 * same screen in a row collapsed), cut into sessions at gaps over `sessionGapMs`, each session's
 * first `depth` screens counted once per user.
 */
export function topJourneys(
  events: Iterable<StreamEvent>,
  options: { depth?: number; limit?: number; sessionGapMs?: number } = {},
): JourneyCount[] {
  const depth = options.depth ?? 4;
  const gap = options.sessionGapMs ?? 30 * 60_000;
  const counts = new Map<string, Set<string>>();
  for (const [userId, list] of byUser(events)) {
    let path: string[] = [];
    let last = -Infinity;
    const flush = () => {
      if (path.length === 0) return;
      const key = path.join('\u0000');
      let users = counts.get(key);
      if (!users) counts.set(key, (users = new Set()));
      users.add(userId);
      path = [];
    };
    for (const event of list) {
      if (event.type !== 'screen.viewed' || !event.screen) continue;
      if (event.at - last > gap) flush();
      last = event.at;
      if (path.length < depth && path[path.length - 1] !== event.screen) path.push(event.screen);
    }
    flush();
  }
  return [...counts]
    .map(([key, users]) => ({ path: key.split('\u0000'), users: users.size }))
    .sort((a, b) => b.users - a.users || a.path.join('>').localeCompare(b.path.join('>')))
    .slice(0, options.limit ?? 10);
}
