/**
 * Backups and recovery with the real services, a real server and real files: back up while the
 * app runs, restore with progress, export and restore from a file; overwrite random pages of the
 * database and start again (detected every time, newest verified backup restored, newer messages
 * fetched again from the server, incident opened); with no backup, start empty and re-sync.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import type { BackupsStatus, Incident } from '../../src-shared/ipc/operations-types';
import { PRIVATE_KEY_ENTRY } from '../../src-main/services/identity/identity-keystore';
import { makeTempDir } from '../support/temp-dir';
import { seeded } from '../support/seeded';
import { waitFor } from '../support/ws-client';

const PAGE = 4096;

describe('backups and automatic recovery', () => {
  const temp = makeTempDir();
  const appDir = path.join(temp.dir, 'app');
  const dbFile = path.join(appDir, 'beseda.db');
  let server: RunningServer;
  let services: Services;
  let roomId: string;
  /** Every value that crossed the API (replies and events), to look for secrets in. */
  const seenByRenderer: string[] = [];

  async function start(): Promise<Services> {
    const started = await startServices({
      dataDir: appDir,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: server.url,
    });
    started.events.subscribe((name, payload) =>
      seenByRenderer.push(JSON.stringify([name, payload])),
    );
    return started;
  }
  async function call<T = unknown>(channel: string, input?: unknown): Promise<T> {
    const reply = await services.dispatch(channel as never, input as never);
    seenByRenderer.push(JSON.stringify(reply));
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
    return reply.value as T;
  }
  const ready = () =>
    waitFor(
      async () => (await call<{ phase: string }>('sync.status')).phase === 'ready',
      20_000,
      'synced',
    );
  const messageCount = () =>
    (
      services.database.db
        .prepare('SELECT count(*) AS n FROM messages WHERE room_id = ?')
        .get(roomId) as { n: number }
    ).n;
  async function sendAll(count: number, from: number): Promise<void> {
    for (let i = 0; i < count; i++)
      await call('messages.send', { roomId, body: `message ${from + i}` });
    await waitFor(() => services.messages.outboxSize() === 0, 20_000, 'outbox drained');
  }
  /** Overwrites `count` random pages of the (vacuumed, so fully used) file with random bytes. */
  function corruptPages(seed: number, count: number): number[] {
    const db = new BetterSqlite3(dbFile);
    db.exec('VACUUM');
    db.close();
    const pages = fs.statSync(dbFile).size / PAGE;
    const random = seeded(seed);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(Math.floor(random() * pages));
    const fd = fs.openSync(dbFile, 'r+');
    for (const page of chosen) {
      const junk = Buffer.alloc(PAGE);
      for (let i = 0; i < PAGE; i++) junk[i] = Math.floor(random() * 256);
      fs.writeSync(fd, junk, 0, PAGE, page * PAGE);
    }
    fs.closeSync(fd);
    return [...chosen];
  }

  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
    services = await start();
    await call('settings.update', { backups: { atQuit: false } });
    await call('identity.create', { displayName: 'Backup Tester' });
    await ready();
    roomId = (await call<{ id: string }>('rooms.create', { name: 'Archive' })).id;
    await sendAll(300, 0);
  }, 60_000);
  afterAll(async () => {
    await services?.stop();
    await server?.close();
    temp.cleanup();
  });

  it('backs up while the app runs: sealed, compressed, verified, listed', async () => {
    const phases = new Set<string>();
    const off = services.events.subscribe((name, payload) => {
      if (name === 'backups.changed') {
        const running = (payload as BackupsStatus).running;
        if (running) phases.add(running.phase);
      }
    });
    const backup = await call<{
      id: string;
      state: string;
      messages: number;
      bytes: number;
      databaseBytes: number;
    }>('backups.create');
    off();
    expect(backup).toMatchObject({ state: 'verified', messages: 300 });
    expect(backup.bytes).toBeLessThan(backup.databaseBytes);
    expect([...phases]).toEqual(expect.arrayContaining(['copying', 'sealing', 'verifying']));
    const file = services.backups.fileOf(backup.id);
    expect(fs.readFileSync(file).includes(Buffer.from('message 17'))).toBe(false);
    expect(fs.readFileSync(file).subarray(0, 16).toString()).not.toContain('SQLite');
    const status = await call<BackupsStatus>('backups.status');
    expect(status.backups.map((b) => b.id)).toContain(backup.id);
  });

  it('restores a backup in place with progress, keeping the current database aside until done', async () => {
    await sendAll(20, 300);
    expect(messageCount()).toBe(320);
    const [newest] = (await call<BackupsStatus>('backups.status')).backups;
    const phases = new Set<string>();
    const off = services.events.subscribe((name, payload) => {
      if (name === 'backups.changed' && (payload as BackupsStatus).running)
        phases.add((payload as BackupsStatus).running!.phase);
    });
    await call('backups.restore', { id: newest!.id });
    off();
    expect([...phases]).toEqual(expect.arrayContaining(['opening', 'checking', 'replacing']));
    expect(fs.existsSync(`${dbFile}.before-restore`)).toBe(false);
    expect(services.database.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The restored file is the live one; the 20 newer messages come back from the server.
    await waitFor(() => messageCount() === 320, 20_000, 'newer messages fetched again');
    const incidents = await call<Incident[]>('incidents.list');
    expect(incidents.some((i) => i.key === 'database_restored')).toBe(true);
  });

  it('exports a backup to a file and restores from that file', async () => {
    const [newest] = (await call<BackupsStatus>('backups.status')).backups;
    const target = path.join(temp.dir, 'exported.tdbackup');
    expect(await call('backups.export', { id: newest!.id, path: target })).toEqual({
      path: target,
    });
    expect(
      fs.readFileSync(target).equals(fs.readFileSync(services.backups.fileOf(newest!.id))),
    ).toBe(true);
    await call('backups.restoreFile', { path: target });
    await waitFor(() => messageCount() === 320, 20_000, 'synced after restore from file');
    // A file that is not a backup is refused with words, and nothing changes.
    const junk = path.join(temp.dir, 'junk.tdbackup');
    fs.writeFileSync(junk, Buffer.alloc(5000, 7));
    await expect(call('backups.restoreFile', { path: junk })).rejects.toThrow(
      /backup key|not a backup/,
    );
    expect(messageCount()).toBe(320);
  });

  it('detects overwritten pages at every start and restores the newest verified backup', async () => {
    await call('backups.create');
    await sendAll(15, 320);
    for (const seed of [1, 2, 3, 4, 5]) {
      await services.stop();
      corruptPages(seed, 3);
      services = await start();
      expect(services.startupCheck).toMatchObject({
        outcome: 'restored',
        problem: expect.any(String),
      });
      expect(services.startupCheck.restoredFrom?.messages).toBe(320);
      expect(fs.existsSync(services.startupCheck.damagedCopy!)).toBe(true);
      const incident = (await call<Incident[]>('incidents.list')).find(
        (i) => i.key === 'database_damaged',
      );
      expect(incident).toMatchObject({ severity: 'critical' });
      expect(incident!.events.map((e) => e.text).join(' ')).toMatch(/Restored the backup/);
      // The backup's own run was open when it was taken: that is no unclean shutdown of this one.
      expect(services.previousRunUnclean).toBe(false);
      expect(
        (await call<Incident[]>('incidents.list')).filter((i) => i.key === 'unclean_shutdown'),
      ).toEqual([]);
      // Nothing of the temporary copy is left beside the database.
      expect(fs.readdirSync(appDir).filter((f) => f.includes('.restoring'))).toEqual([]);
      await ready();
      await waitFor(
        () => messageCount() === 335,
        20_000,
        `messages after the backup fetched again (seed ${seed})`,
      );
    }
  }, 120_000);

  it('with no backup starts empty, re-syncs everything from the server and opens an incident', async () => {
    await services.stop();
    fs.rmSync(path.join(appDir, 'backups'), { recursive: true });
    corruptPages(99, 4);
    services = await start();
    expect(services.startupCheck.outcome).toBe('emptied');
    const incident = (await call<Incident[]>('incidents.list')).find(
      (i) => i.key === 'database_damaged',
    );
    expect(incident!.events.map((e) => e.text).join(' ')).toMatch(/No usable backup/);
    await ready();
    await waitFor(() => messageCount() === 335, 20_000, 'everything fetched again');
  }, 60_000);

  it('acknowledges and resolves incidents with a note, and exports them', async () => {
    const [first] = await call<Incident[]>('incidents.list');
    expect(
      (await call<Incident>('incidents.acknowledge', { id: first!.id, note: 'looking' })).state,
    ).toBe('acknowledged');
    const resolved = await call<Incident>('incidents.resolve', {
      id: first!.id,
      note: 'disk replaced',
    });
    expect(resolved).toMatchObject({ state: 'resolved', note: 'disk replaced' });
    expect(resolved.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['opened', 'acknowledged', 'resolved']),
    );
    const markdown = await call<string>('incidents.export', { format: 'markdown' });
    expect(markdown).toContain(`## #${first!.id} ${first!.title}`);
    expect(markdown).toContain('disk replaced');
    const json = JSON.parse(await call<string>('incidents.export', { format: 'json' }));
    expect(json.incidents.find((i: Incident) => i.id === first!.id).state).toBe('resolved');
  });

  it('never lets the private key out through the API', () => {
    const der = services.secrets.get(PRIVATE_KEY_ENTRY)!;
    const everything = seenByRenderer.join('\n');
    expect(seenByRenderer.length).toBeGreaterThan(50);
    for (const form of [
      der.toString('base64'),
      der.toString('hex'),
      der.subarray(-32).toString('base64'),
    ])
      expect(everything).not.toContain(form);
  });
});
