#!/usr/bin/env node
// Analytics figures:
//   ingest   events/s into the app's local store (AnalyticsService.record: schema checks, consent,
//            upload queue) in the renderer's batches of 50, against bare INSERTs of the same rows
//            in the same process; and into the real server over the wire (batches of 200)
//   queries  the dashboard over 1,000,000 events (2,000 users, 30 days): daily figures, a 3-step
//            funnel, journeys, an experiment's results; p50/p95 of RUNS runs each, against a
//            full-table count(*) as the baseline; funnels and journeys include reading the
//            packed timelines (src-shared/analytics/timeline.ts), packed once after the bulk load
// EVENTS=1000000 USERS=2000 RUNS=20 INGEST=20000
import fs from 'node:fs';
import path from 'node:path';
import { fmt, loadModule, median, quantile, seeded, startEntry, tempDir } from './lib.mjs';
import { ask, signedIn } from './protocol.mjs';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 2000);
const RUNS = Number(process.env.RUNS ?? 20);
const INGEST = Number(process.env.INGEST ?? 20_000);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

const { AnalyticsService } = await loadModule('src-main/services/analytics/analytics-service.ts');
const { openLocalDatabase } = await loadModule('src-main/services/storage/database.ts');
const dash = await loadModule('src-shared/analytics/dashboard.ts');
const { Timelines } = await loadModule('src-shared/analytics/timeline.ts');
const { silentLogger } = await loadModule('src-shared/log.ts');

const random = seeded(7);
const SCREENS = ['chats', 'call', 'voice', 'analytics', 'settings'];
let counter = 0;
/** A plausible event: mostly screen views and messages, some calls, quality, voice, exposures. */
function makeEvent(at) {
  const r = random();
  const id = `ev${(counter++).toString(36).padStart(10, '0')}`;
  const base = { id, at, sessionId: 'bench-session' };
  if (r < 0.4)
    return { ...base, type: 'screen.viewed', props: { screen: SCREENS[Math.floor(random() * 5)] } };
  if (r < 0.7)
    return { ...base, type: 'message.sent', props: { direct: random() < 0.3, offline: false } };
  if (r < 0.78)
    return {
      ...base,
      type: 'app.opened',
      props: { platform: 'linux', language: 'en', host: 'electron' },
    };
  if (r < 0.84)
    return { ...base, type: 'call.joined', props: { participants: 2 + Math.floor(random() * 5) } };
  if (r < 0.9)
    return {
      ...base,
      type: 'call.quality',
      props: {
        rttMs: 40 + random() * 100,
        jitterMs: random() * 20,
        lossPct: random() * 3,
        mos: 3.5 + random(),
      },
    };
  if (r < 0.95)
    return {
      ...base,
      type: 'voice.command',
      props: { command: 'system.mute', category: 'system', outcome: 'done' },
    };
  return {
    ...base,
    type: 'experiment.exposure',
    props: { experiment: 'composer-hint', variant: random() < 0.5 ? 'control' : 'hint' },
  };
}

const work = tempDir('analytics-bench-');
try {
  // ── ingest into the local store ──────────────────────────────────────────────────────────
  const local = openLocalDatabase(path.join(work, 'local', 'beseda.db'));
  const service = new AnalyticsService(local.db, {
    consent: () => 'granted',
    userId: () => 'bench-user',
    logger: silentLogger,
    maxEvents: 10_000_000,
    uploader: { isOnline: () => false },
  });
  const batches = [];
  for (let i = 0; i < INGEST; i += 50)
    batches.push(Array.from({ length: 50 }, (_, j) => makeEvent(T0 + (i + j) * 1000)));
  let started = performance.now();
  for (const batch of batches) service.record(batch);
  const serviceMs = performance.now() - started;
  const bare = openLocalDatabase(path.join(work, 'bare', 'beseda.db'));
  const insert = bare.db.prepare(dash.INSERT_EVENT_SQL);
  const rows = batches.map((batch) =>
    batch.map((e) => dash.eventRow('bench-user', { ...e, id: `b${e.id}` })),
  );
  started = performance.now();
  for (const batch of rows) bare.db.transaction(() => batch.forEach((row) => insert.run(...row)))();
  const bareMs = performance.now() - started;
  console.log(
    `ingest, local store: ${((INGEST / serviceMs) * 1000).toFixed(0)} events/s in batches of 50 ` +
      `(bare INSERTs of the same rows: ${((INGEST / bareMs) * 1000).toFixed(0)} events/s; ` +
      `checks, consent and upload queue cost ${(serviceMs / bareMs).toFixed(2)}x)`,
  );
  local.close();
  bare.close();

  // ── ingest into the server over the wire ─────────────────────────────────────────────────
  const server = await startEntry('dist/server/server.cjs', [
    // Every simulated user signs up from this one address.
    '--new-identities-burst',
    '100000',
    '--port',
    '0',
    '--data-dir',
    path.join(work, 'server'),
  ]);
  try {
    const socket = await signedIn(server.url, 'Bench');
    const wire = [];
    for (let i = 0; i < INGEST; i += 200)
      wire.push(Array.from({ length: 200 }, (_, j) => makeEvent(T0 + (i + j) * 1000)));
    started = performance.now();
    let accepted = 0;
    for (const events of wire)
      accepted += (await ask(socket, { t: 'analytics.upload', events })).accepted;
    const wireMs = performance.now() - started;
    const again = await ask(socket, { t: 'analytics.upload', events: wire[0] });
    console.log(
      `ingest, server over the wire: ${((accepted / wireMs) * 1000).toFixed(0)} events/s ` +
        `(${accepted} stored, batches of 200, one in flight); a resent batch: ` +
        `${again.accepted} stored, ${again.duplicates} duplicates`,
    );
    socket.close();
  } finally {
    await server.stop();
  }

  // ── dashboard queries over EVENTS events ─────────────────────────────────────────────────
  const big = openLocalDatabase(path.join(work, 'big', 'beseda.db'));
  const put = big.db.prepare(dash.INSERT_EVENT_SQL);
  started = performance.now();
  const chunk = 50_000;
  for (let done = 0; done < EVENTS; done += chunk) {
    big.db.transaction(() => {
      for (let i = done; i < Math.min(EVENTS, done + chunk); i++) {
        const user = `user-${Math.floor(random() * USERS)}`;
        put.run(...dash.eventRow(user, makeEvent(T0 + Math.floor(random() * 30 * DAY))));
      }
    })();
  }
  big.db.exec('ANALYZE');
  console.log(
    `generated ${EVENTS} events for ${USERS} users over 30 days in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const sql = dash.sqlRunner(big.db);
  // Bulk INSERTs above skipped the per-batch packing the services do at ingest: pack all now.
  const timelines = new Timelines(sql);
  started = performance.now();
  const packed = timelines.refresh();
  console.log(
    `packed ${packed} user-weeks of timelines from ${EVENTS} events in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (once; ingest keeps them current)`,
  );
  const range = { from: T0, to: T0 + 30 * DAY };
  const goal = { kind: 'goal', key: 'message', name: 'Message', step: { type: 'message.sent' } };
  const funnel = {
    kind: 'funnel',
    key: 'open-to-call',
    name: 'Open → calls screen → join',
    steps: [
      { type: 'app.opened' },
      { type: 'screen.viewed', screen: 'call' },
      { type: 'call.joined' },
    ],
    windowMs: DAY,
  };
  const experiment = {
    kind: 'experiment',
    key: 'composer-hint',
    name: 'Composer hint',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'hint', weight: 0.5 },
    ],
    coverage: 1,
    targeting: {},
    goal: 'message',
    plannedUsersPerVariant: 1000,
    status: 'running',
    shipped: null,
  };
  const queries = {
    'count(*) baseline': () => sql.all('SELECT count(*) AS n FROM analytics_events', []),
    'daily figures': () => dash.dailyFigures(sql, range),
    'call quality per day': () => dash.qualityFigures(sql, range),
    'funnel, 3 steps': () => dash.funnelFigures(timelines.read(range), funnel),
    journeys: () => dash.journeyFigures(timelines.read(range)),
    'goal conversion': () => dash.goalFigures(sql, range, goal),
    'experiment results': () => dash.experimentFigures(sql, range, experiment, goal),
    'whole dashboard': () =>
      dash.computeDashboard(sql, timelines, range, {
        goals: [goal],
        funnels: [funnel],
        experiments: [experiment],
      }),
  };
  let baseline = 0;
  for (const [name, run] of Object.entries(queries)) {
    run(); // warm
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    if (!baseline) baseline = median(times);
    console.log(
      `query ${name}: p50 ${fmt(median(times))}, p95 ${fmt(quantile(times, 0.95))} ` +
        `(${(median(times) / baseline).toFixed(1)}x the count(*) baseline; goal p95 < 200 ms)`,
    );
  }
  big.close();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
