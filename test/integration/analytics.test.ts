/**
 * Analytics end to end below the UI: the app's local store (real SQLite, migrations) with consent,
 * schema checks, idempotence and retention; the real server over the wire protocol: batches
 * uploaded twice count once, bad events are refused and counted, definitions are shared, and
 * the dashboard is computed across users; offline, the app shows its own figures.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import {
  AnalyticsService,
  type Uploader,
} from '../../src-main/services/analytics/analytics-service';
import { openLocalDatabase } from '../../src-main/services/storage/database';
import type { DashboardData } from '../../src-shared/analytics/dashboard';
import type { AnalyticsDefinition } from '../../src-shared/analytics/definitions';
import type { AnalyticsEvent } from '../../src-shared/analytics/events';
import { silentLogger } from '../../src-shared/log';
import type { AnalyticsConsent } from '../../src-shared/settings';
import {
  ask,
  challengeOf,
  connectHello,
  keyPair,
  signedIn,
  type Frame,
} from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

const DAY = 86_400_000;
/** Noon (UTC) ten days ago: the server takes events dated within 30 days of now. */
const T0 = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 12 * 3_600_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
/** Keys made before the server starts, so that their user ids can be named administrators. */
const aliceKey = keyPair();
const carolKey = keyPair();
const userIdOf = (key: { publicKey: string }) =>
  `u_${crypto.createHash('sha256').update(Buffer.from(key.publicKey, 'base64')).digest('hex').slice(0, 32)}`;
const id = () => crypto.randomBytes(9).toString('base64url');
const ev = (type: string, props: Record<string, unknown>, at = T0): AnalyticsEvent => ({
  id: id(),
  type,
  at,
  sessionId: 'session-1',
  props,
});

describe('analytics', () => {
  const temp = makeTempDir();
  let server: RunningServer;

  beforeAll(async () => {
    server = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(temp.dir, 'server'),
        admins: [userIdOf(aliceKey), userIdOf(carolKey)],
      },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  function localService(name: string, uploader: Partial<Uploader> = {}, maxEvents?: number) {
    const database = openLocalDatabase(path.join(temp.dir, name, 'beseda.db'));
    let consent: AnalyticsConsent = 'unasked';
    const service = new AnalyticsService(database.db, {
      consent: () => consent,
      userId: () => 'user-local',
      logger: silentLogger,
      now: () => T0,
      maxEvents,
      uploader: {
        isOnline: () => false,
        upload: () => Promise.reject(new Error('offline')),
        query: () => Promise.reject(new Error('offline')),
        definitions: () => Promise.resolve([]),
        define: () => Promise.reject(new Error('offline')),
        undefine: () => Promise.reject(new Error('offline')),
        ...uploader,
      },
    });
    return { service, database, setConsent: (c: AnalyticsConsent) => (consent = c) };
  }

  it('records nothing without consent, and checks every event when it is given', () => {
    const { service, setConsent, database } = localService('consent');
    const good = ev('message.sent', { direct: false, offline: true });
    expect(service.record([good])).toMatchObject({ accepted: 0, ignored: 1 });
    expect(service.status().stored).toBe(0);
    setConsent('granted');
    const result = service.record([
      good,
      good, // the same event again
      ev('message.sent', { direct: false, offline: true, text: 'hello Bob' }), // personal data
      ev('screen.viewed', { screen: 'nowhere' }),
      ev('file.deleted', {}), // unknown type
      { id: 'x', type: 'screen.viewed' }, // no envelope
    ]);
    expect(result).toEqual({ accepted: 1, duplicates: 1, rejected: 4, ignored: 0 });
    expect(service.status()).toMatchObject({
      stored: 1,
      pending: 1,
      rejected: { invalid_props: 2, unknown_type: 1, invalid_envelope: 1 },
    });
    const stored = database.db.prepare('SELECT props FROM analytics_events').all();
    expect(JSON.stringify(stored)).not.toContain('hello Bob');
    // Withdrawn: what is kept and not sent is deleted.
    service.forget();
    expect(service.status()).toMatchObject({ stored: 0, pending: 0 });
    database.close();
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const { service, setConsent, database } = localService('retention', {}, 100);
    setConsent('granted');
    const events = Array.from({ length: 250 }, (_, i) =>
      ev('screen.viewed', { screen: 'chats' }, T0 - (250 - i) * 1000),
    );
    service.record(events.slice(0, 40));
    service.record(events.slice(40));
    const rows = database.db
      .prepare('SELECT min(at) AS oldest, count(*) AS n FROM analytics_events')
      .get() as {
      oldest: number;
      n: number;
    };
    expect(rows).toEqual({ n: 100, oldest: events[150]!.at });
    expect(service.status().pending).toBe(100);
    database.close();
  });

  it('uploads over the protocol once per event, refuses bad ones, and shares definitions', async () => {
    const alice = await signedIn(server.url, 'Alice', aliceKey);
    const bob = await signedIn(server.url, 'Bob');
    const batch = [
      ev('app.opened', { platform: 'linux', language: 'en', host: 'web' }),
      ev('screen.viewed', { screen: 'chats' }, T0 + 1000),
      ev('message.sent', { direct: true, offline: false }, T0 + 2000),
    ];
    expect(await ask(alice.client, { t: 'analytics.upload', events: batch })).toMatchObject({
      t: 'analytics.ack',
      accepted: 3,
      duplicates: 0,
    });
    expect(
      await ask(alice.client, {
        t: 'analytics.upload',
        events: [...batch, ev('call.quality', { rttMs: -1, jitterMs: 1, lossPct: 0, mos: 4 })],
      }),
    ).toMatchObject({ accepted: 0, duplicates: 3, rejected: 1 });
    await ask(bob.client, {
      t: 'analytics.upload',
      events: [
        ev('app.opened', { platform: 'win32', language: 'ru', host: 'electron' }, T0 + DAY),
        ev('call.joined', { participants: 3 }, T0 + DAY + 10),
        ev('call.quality', { rttMs: 80, jitterMs: 5, lossPct: 1, mos: 4.2 }, T0 + DAY + 20),
      ],
    });
    const goal: AnalyticsDefinition = {
      kind: 'goal',
      key: 'first-message',
      name: 'First message',
      step: { type: 'message.sent' },
    };
    const defs = (await ask(alice.client, { t: 'analytics.define', definition: goal })) as Frame;
    expect(defs.definitions).toEqual([goal]);
    expect(
      await ask(bob.client, { t: 'analytics.define', definition: { ...goal, key: 'Bad Key' } }),
    ).toMatchObject({ t: 'error', code: 'malformed_frame' });
    const range = { from: T0 - DAY, to: T0 + 2 * DAY };
    // Bob administers nothing: his own figures are in his app, not everyone's on the server.
    expect(await ask(bob.client, { t: 'analytics.query', range })).toMatchObject({
      code: 'forbidden',
    });
    const reply = (await ask(alice.client, { t: 'analytics.query', range })) as Frame & {
      data: DashboardData;
    };
    expect(reply.data.totalEvents).toBe(6);
    expect(reply.data.daily).toEqual([
      { day: dayOf(T0), activeUsers: 1, messages: 1, calls: 0, voiceCommands: 0 },
      { day: dayOf(T0 + DAY), activeUsers: 1, messages: 0, calls: 1, voiceCommands: 0 },
    ]);
    expect(reply.data.goals).toEqual([
      { key: 'first-message', name: 'First message', users: 2, converted: 1, rate: 0.5 },
    ]);
    expect(reply.data.quality[0]).toMatchObject({ rttMs: 80, lossPct: 1, mos: 4.2, samples: 1 });
    alice.client.close();
    bob.client.close();
  });

  it('sends pending events when online and shows local-only figures when not', async () => {
    const carol = await signedIn(server.url, 'Carol', carolKey);
    let online = true;
    const call = async (frame: Frame) => {
      const reply = await ask(carol.client, frame);
      if (reply.t === 'error') throw new Error(String(reply.message));
      return reply as never;
    };
    const { service, setConsent, database } = localService('uploader', {
      isOnline: () => online,
      upload: (events) => call({ t: 'analytics.upload', events }),
      query: async (range) =>
        ((await call({ t: 'analytics.query', range })) as { data: DashboardData }).data,
    });
    setConsent('granted');
    online = false;
    service.record(
      Array.from({ length: 450 }, (_, i) =>
        ev('screen.viewed', { screen: i % 2 ? 'voice' : 'chats' }, T0 + 5 * DAY + i),
      ),
    );
    const local = await service.dashboard({ from: T0 + 5 * DAY, to: T0 + 6 * DAY });
    expect(local).toMatchObject({ source: 'local', localReason: 'offline' });
    expect(local.data.totalEvents).toBe(450);
    online = true;
    await service.flush();
    expect(service.status()).toMatchObject({ pending: 0, lastUpload: { accepted: 50 } });
    const remote = await service.dashboard({ from: T0 + 5 * DAY, to: T0 + 6 * DAY });
    expect(remote).toMatchObject({ source: 'server', canManage: true, localReason: null });
    expect(remote.data.totalEvents).toBe(450);
    expect(remote.data.journeys[0]).toEqual({
      path: ['chats', 'voice', 'chats', 'voice'],
      users: 1,
    });
    carol.client.close();
    database.close();
  });

  it('gives a stranger key no say: no figures across users, no definitions, no shipping', async () => {
    const admin = await signedIn(server.url, 'Alice again', aliceKey);
    const experiment: AnalyticsDefinition = {
      kind: 'experiment',
      key: 'composer-hint',
      name: 'Composer hint',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'hint', weight: 0.5 },
      ],
      coverage: 1,
      targeting: {},
      goal: 'first-message',
      plannedUsersPerVariant: 100,
      status: 'running',
      shipped: null,
    };
    await ask(admin.client, { t: 'analytics.define', definition: experiment });
    // A fresh key, member of no room, tries what the reviewer did.
    const stranger = await signedIn(server.url, 'Stranger');
    const range = { from: T0 - DAY, to: T0 + 2 * DAY };
    for (const frame of [
      { t: 'analytics.query', range },
      { t: 'analytics.define', definition: { ...experiment, status: 'shipped', shipped: 'hint' } },
      { t: 'analytics.define', definition: { ...experiment, key: 'mine' } },
      { t: 'analytics.undefine', key: 'composer-hint' },
    ])
      expect(await ask(stranger.client, frame as Frame)).toMatchObject({ code: 'forbidden' });
    // The flags themselves stay readable (the app needs them), unchanged.
    const defs = (await ask(stranger.client, { t: 'analytics.defs' })) as Frame & {
      definitions: AnalyticsDefinition[];
    };
    expect(defs.definitions.find((d) => d.key === 'composer-hint')).toMatchObject({
      status: 'running',
      shipped: null,
    });
    expect(defs.definitions.some((d) => d.key === 'mine')).toBe(false);
    // Its events: only dated near now, only up to the daily quota.
    const future = ev(
      'app.opened',
      { platform: 'linux', language: 'en', host: 'web' },
      Date.now() + 3 * 365 * DAY,
    );
    const ancient = ev(
      'app.opened',
      { platform: 'linux', language: 'en', host: 'web' },
      Date.now() - 365 * DAY,
    );
    expect(
      await ask(stranger.client, { t: 'analytics.upload', events: [future, ancient] }),
    ).toMatchObject({ accepted: 0, rejected: 2 });
    admin.client.close();
    stranger.client.close();
  });

  it('keeps an identity within its daily quota and upload rate', async () => {
    const limited = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(temp.dir, 'quota-server'),
        analyticsDailyQuota: 150,
        analyticsEventsBurst: 400,
        analyticsEventsPerSec: 1,
      },
      silentLogger,
    );
    try {
      const user = await signedIn(limited.url, 'Busy');
      const batch = () =>
        Array.from({ length: 100 }, (_, i) => ev('screen.viewed', { screen: 'chats' }, T0 + i));
      expect(await ask(user.client, { t: 'analytics.upload', events: batch() })).toMatchObject({
        accepted: 100,
      });
      expect(await ask(user.client, { t: 'analytics.upload', events: batch() })).toMatchObject({
        accepted: 50,
        rejected: 50,
      });
      await ask(user.client, { t: 'analytics.upload', events: batch() });
      await ask(user.client, { t: 'analytics.upload', events: batch() });
      // 400 events spent at once: the next batch waits for the events allowance.
      const refused = await ask(user.client, { t: 'analytics.upload', events: batch() });
      expect(refused).toMatchObject({ code: 'rate_limited' });
      expect(String(refused.message)).toMatch(/retry in \d+ s/);
      user.client.close();
    } finally {
      await limited.close();
    }
  });

  it('limits new identities per address: thirty throwaway keys do not all get in', async () => {
    const fresh = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'throwaway-server') },
      silentLogger,
    );
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) {
        const opened = await connectHello(fresh.url);
        const { client } = opened;
        const key = keyPair();
        const reply = await ask(client, {
          t: 'auth',
          name: `Throwaway ${i}`,
          publicKey: key.publicKey,
          signature: key.sign(challengeOf(opened)),
        });
        outcomes.push(String(reply.t === 'authed' ? 'authed' : reply.code));
        client.close();
      }
      expect(outcomes.slice(0, 10)).toEqual(new Array(10).fill('authed'));
      expect(outcomes.slice(10)).toEqual(new Array(20).fill('rate_limited'));
      expect(fresh.counters().refusedNewIdentities).toBe(20);
    } finally {
      await fresh.close();
    }
  });
});
