/**
 * Funnels, goals and journeys against brute-force references on generated event streams: the
 * references enumerate every possibility instead of being clever, so they are slow but obvious.
 */
import {
  computeFunnel,
  goalConversion,
  topJourneys,
  type StepDefinition,
  type StreamEvent,
} from '../../src-shared/analytics/funnels';
import { seeded } from '../support/seeded';

const TYPES = ['app.opened', 'screen.viewed', 'message.sent', 'call.joined'];
const SCREENS = ['chats', 'calls', 'voice', 'settings'];

function generate(random: () => number, users: number, perUser: number): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (let u = 0; u < users; u++) {
    let at = Math.floor(random() * 1000);
    const n = 1 + Math.floor(random() * perUser);
    for (let i = 0; i < n; i++) {
      at += Math.floor(random() * 40 * 60_000);
      const type = TYPES[Math.floor(random() * TYPES.length)]!;
      events.push({
        userId: `u${u}`,
        type,
        at,
        ...(type === 'screen.viewed' ? { screen: SCREENS[Math.floor(random() * 4)]! } : {}),
      });
    }
  }
  // Stored order is not time order.
  return events.sort(() => random() - 0.5);
}

/** Every increasing choice of events, one per step: the deepest chain within the window. */
function bruteForceReached(events: StreamEvent[], steps: StepDefinition[], windowMs: number) {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const fits = (e: StreamEvent, s: StepDefinition) =>
    e.type === s.type && (s.screen === undefined || e.screen === s.screen);
  let best = 0;
  const walk = (from: number, depth: number, start: number) => {
    best = Math.max(best, depth);
    if (depth === steps.length) return;
    for (let i = from; i < sorted.length; i++) {
      const e = sorted[i]!;
      if (depth > 0 && e.at - start > windowMs) continue;
      if (fits(e, steps[depth]!)) walk(i + 1, depth + 1, depth === 0 ? e.at : start);
    }
  };
  walk(0, 0, 0);
  return best;
}

describe('funnels, goals and journeys', () => {
  it('match the brute-force reference on generated streams', () => {
    const random = seeded(5);
    const funnels: Array<[StepDefinition[], number]> = [
      [[{ type: 'app.opened' }, { type: 'message.sent' }], 3_600_000],
      [
        [
          { type: 'app.opened' },
          { type: 'screen.viewed', screen: 'calls' },
          { type: 'call.joined' },
        ],
        7_200_000,
      ],
      [
        [
          { type: 'screen.viewed' },
          { type: 'message.sent' },
          { type: 'message.sent' },
          { type: 'call.joined' },
        ],
        10_800_000,
      ],
      [[{ type: 'message.sent' }, { type: 'app.opened' }], 600_000],
    ];
    for (let round = 0; round < 5; round++) {
      const events = generate(random, 150, 12);
      for (const [steps, windowMs] of funnels) {
        const expected = new Array<number>(steps.length).fill(0);
        const users = new Set(events.map((e) => e.userId));
        for (const user of users) {
          const reached = bruteForceReached(
            events.filter((e) => e.userId === user),
            steps,
            windowMs,
          );
          for (let i = 0; i < reached; i++) expected[i]!++;
        }
        const result = computeFunnel(events, steps, windowMs);
        expect(result.map((r) => r.users)).toEqual(expected);
        result.forEach((r, i) => {
          if (i === 0) return;
          expect(r.dropOff).toBe(expected[i - 1]! - expected[i]!);
          expect(r.conversion).toBeCloseTo(
            expected[i - 1] ? expected[i]! / expected[i - 1]! : 0,
            12,
          );
        });
      }
    }
  });

  it('counts a later start that completes in time, and nothing out of order', () => {
    const steps = [{ type: 'a' }, { type: 'b' }];
    const events: StreamEvent[] = [
      { userId: 'x', type: 'a', at: 0 },
      { userId: 'x', type: 'a', at: 5000 },
      { userId: 'x', type: 'b', at: 5500 },
      { userId: 'y', type: 'b', at: 0 },
      { userId: 'y', type: 'a', at: 10 },
    ];
    expect(computeFunnel(events, steps, 1000).map((r) => r.users)).toEqual([2, 1]);
  });

  it('counts goal conversions per user', () => {
    const random = seeded(9);
    const events = generate(random, 300, 6);
    const result = goalConversion(events, { type: 'call.joined' });
    const users = new Set(events.map((e) => e.userId));
    const converted = [...users].filter((u) =>
      events.some((e) => e.userId === u && e.type === 'call.joined'),
    );
    expect(result).toEqual({
      users: users.size,
      converted: converted.length,
      rate: converted.length / users.size,
    });
  });

  it('finds the top journeys as a plain per-session reading does', () => {
    const random = seeded(13);
    const events = generate(random, 400, 14);
    const gap = 30 * 60_000;
    const depth = 3;
    // Reference: walk each user's screen views, cut at gaps, collapse repeats, keep `depth`.
    const reference = new Map<string, Set<string>>();
    for (const user of new Set(events.map((e) => e.userId))) {
      const views = events
        .filter((e) => e.userId === user && e.type === 'screen.viewed')
        .sort((a, b) => a.at - b.at);
      const sessions: string[][] = [];
      views.forEach((view, i) => {
        if (i === 0 || view.at - views[i - 1]!.at > gap) sessions.push([]);
        sessions[sessions.length - 1]!.push(view.screen!);
      });
      for (const session of sessions) {
        const collapsed = session.filter((s, i) => i === 0 || s !== session[i - 1]);
        const key = collapsed.slice(0, depth).join('>');
        if (!reference.has(key)) reference.set(key, new Set());
        reference.get(key)!.add(user);
      }
    }
    const expected = [...reference]
      .map(([key, users]) => ({ path: key.split('>'), users: users.size }))
      .sort((a, b) => b.users - a.users || a.path.join('>').localeCompare(b.path.join('>')))
      .slice(0, 8);
    expect(topJourneys(events, { depth, limit: 8, sessionGapMs: gap })).toEqual(expected);
  });
});
