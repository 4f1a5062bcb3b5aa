/**
 * The packed per-user timelines that funnels and journeys read (real SQLite): whatever order
 * events arrive in, and whatever is removed later, the figures equal the plain stream functions
 * (themselves checked against brute force in test/unit/analytics-funnels.test.ts) over the
 * events that are stored, for whole and partial-day ranges.
 */
import BetterSqlite3 from 'better-sqlite3';
import {
  ANALYTICS_EVENTS_SQL,
  eventRow,
  funnelFigures,
  INSERT_EVENT_SQL,
  journeyFigures,
  sqlRunner,
} from '../../src-shared/analytics/dashboard';
import type { FunnelDefinition } from '../../src-shared/analytics/definitions';
import { computeFunnel, topJourneys, type StreamEvent } from '../../src-shared/analytics/funnels';
import { ANALYTICS_TIMELINE_SQL, Timelines } from '../../src-shared/analytics/timeline';
import { seeded } from '../support/seeded';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 5);
const SCREENS = ['chats', 'call', 'voice', 'settings'];

interface Stored extends StreamEvent {
  id: string;
}

/** Users with bursts of activity over five days; some times repeat (ties). */
function generate(random: () => number, users: number): Stored[] {
  const events: Stored[] = [];
  let n = 0;
  for (let u = 0; u < users; u++) {
    let at = T0 + Math.floor(random() * DAY);
    const count = 5 + Math.floor(random() * 60);
    for (let i = 0; i < count; i++) {
      at +=
        random() < 0.1 ? 0 : Math.floor(random() * (random() < 0.8 ? 10 * 60_000 : 9 * 3_600_000));
      const r = random();
      const type =
        r < 0.45
          ? 'screen.viewed'
          : r < 0.7
            ? 'message.sent'
            : r < 0.85
              ? 'app.opened'
              : 'call.joined';
      events.push({
        id: `e${(n++).toString(36).padStart(6, '0')}`,
        userId: `u${u}`,
        type,
        at,
        ...(type === 'screen.viewed' ? { screen: SCREENS[Math.floor(random() * 4)]! } : {}),
      });
    }
  }
  return events;
}

function props(e: Stored): Record<string, unknown> {
  if (e.type === 'screen.viewed') return { screen: e.screen };
  if (e.type === 'message.sent') return { direct: false, offline: false };
  if (e.type === 'app.opened') return { platform: 'linux', language: 'en', host: 'web' };
  return { participants: 2 };
}

/** Time order with the same tie-break as the stored timelines. */
const ordered = (events: Stored[]) =>
  [...events].sort(
    (a, b) =>
      a.at - b.at ||
      a.type.localeCompare(b.type) ||
      (a.screen ?? '').localeCompare(b.screen ?? '') ||
      (a.id < b.id ? -1 : 1),
  );

const FUNNELS: FunnelDefinition[] = [
  {
    kind: 'funnel',
    key: 'open-call-join',
    name: 'open, call screen, join',
    steps: [
      { type: 'app.opened' },
      { type: 'screen.viewed', screen: 'call' },
      { type: 'call.joined' },
    ],
    windowMs: 3 * 3_600_000,
  },
  {
    kind: 'funnel',
    key: 'views-messages',
    name: 'any screen, two messages',
    steps: [{ type: 'screen.viewed' }, { type: 'message.sent' }, { type: 'message.sent' }],
    windowMs: DAY,
  },
];

describe('analytics timelines', () => {
  it('give the stream functions’ funnels and journeys through late arrivals and removals', () => {
    const random = seeded(21);
    const db = new BetterSqlite3(':memory:');
    db.exec(ANALYTICS_EVENTS_SQL);
    const insert = db.prepare(INSERT_EVENT_SQL);
    const put = (events: Stored[]) =>
      db.transaction(() => {
        for (const e of events)
          insert.run(
            ...eventRow(e.userId, {
              id: e.id,
              type: e.type,
              at: e.at,
              sessionId: 's',
              props: props(e),
            }),
          );
      })();
    const events = generate(random, 120);
    // Stored in random order, a third before the timelines exist (an older database).
    const shuffled = [...events].sort(() => random() - 0.5);
    const third = Math.floor(shuffled.length / 3);
    put(shuffled.slice(0, third));
    db.exec(ANALYTICS_TIMELINE_SQL);
    const sql = sqlRunner(db);
    const timelines = new Timelines(sql);
    let stored = shuffled.slice(0, third);

    const ranges = [
      { from: T0, to: T0 + 6 * DAY },
      { from: T0 + DAY + 5 * 3_600_000, to: T0 + 3 * DAY + 17 * 3_600_000 },
      { from: T0 + 2 * DAY, to: T0 + 2 * DAY + 1 },
    ];
    const check = () => {
      for (const range of ranges) {
        const inRange = ordered(stored.filter((e) => e.at >= range.from && e.at < range.to));
        const view = timelines.read(range);
        for (const funnel of FUNNELS)
          expect(funnelFigures(view, funnel).steps).toEqual(
            computeFunnel(inRange, funnel.steps, funnel.windowMs),
          );
        expect(journeyFigures(view)).toEqual(topJourneys(inRange, { limit: 10 }));
      }
    };
    check();
    // The rest arrives in batches, each refreshed at ingest as the services do.
    for (let i = third; i < shuffled.length; i += 97) {
      const batch = shuffled.slice(i, i + 97);
      put(batch);
      stored = stored.concat(batch);
      timelines.refresh();
    }
    check();
    // A late batch lands without a refresh: the next read still sees it.
    const late = generate(seeded(3), 10).map((e) => ({
      ...e,
      id: `late-${e.id}`,
      userId: `u${e.userId}`,
    }));
    put(late);
    stored = stored.concat(late);
    check();
    // Removal (retention, withdrawn consent) of the oldest third.
    const cutoff = ordered(stored)[Math.floor(stored.length / 3)]!.at;
    db.prepare('DELETE FROM analytics_events WHERE at < ?').run(cutoff);
    stored = stored.filter((e) => e.at >= cutoff);
    check();
    expect(journeyFigures(timelines.read(ranges[0]!)).length).toBeGreaterThan(0);
    db.prepare('DELETE FROM analytics_events').run();
    stored = [];
    check();
    expect(db.prepare('SELECT count(*) AS n FROM analytics_timeline').get()).toEqual({ n: 0 });
    db.close();
  });

  it('order events of the same millisecond one way: by type, as the stream functions do', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec(ANALYTICS_EVENTS_SQL);
    db.exec(ANALYTICS_TIMELINE_SQL);
    const insert = db.prepare(INSERT_EVENT_SQL);
    // Arrival order puts message.sent before app.opened at the same time; type order the reverse.
    const events: Stored[] = [];
    for (let u = 0; u < 20; u++) {
      const at = T0 + u * 60_000;
      events.push({ id: `t${u}a`, userId: `u${u}`, type: 'message.sent', at });
      events.push({ id: `t${u}b`, userId: `u${u}`, type: 'app.opened', at });
    }
    for (const e of events)
      insert.run(
        ...eventRow(e.userId, {
          id: e.id,
          type: e.type,
          at: e.at,
          sessionId: 's',
          props: props(e),
        }),
      );
    const funnel: FunnelDefinition = {
      kind: 'funnel',
      key: 'send-open',
      name: 'send, then open',
      steps: [{ type: 'message.sent' }, { type: 'app.opened' }],
      windowMs: DAY,
    };
    const view = new Timelines(sqlRunner(db)).read({ from: T0, to: T0 + DAY });
    const stored = funnelFigures(view, funnel).steps;
    // Given the events as they arrived (not pre-sorted), the stream function agrees.
    expect(computeFunnel(events, funnel.steps, funnel.windowMs)).toEqual(stored);
    expect(stored.map((s) => s.users)).toEqual([20, 0]);
    db.close();
  });
});
