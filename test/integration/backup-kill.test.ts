/**
 * SIGKILL of the app in the middle of a backup: the backups taken before stay listed and still
 * verify; what the killed one left (a .partial file, the work copy) is discarded at the next
 * start, and the unclean shutdown is recorded as an incident.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { connectBridge } from '../support/bridge-client';
import { startWebHost } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

describe('a backup interrupted by SIGKILL', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('leaves earlier backups intact and verified, and the partial one is discarded at start', async () => {
    let host = await startWebHost(temp.dir);
    let api = await connectBridge(host.url);
    const earlier = await api.call('backups.create');
    expect(earlier.state).toBe('verified');
    api.close();
    expect(await host.stop()).toBe(0);

    // Make the next backup take seconds: 160 MB that does not compress.
    const db = new BetterSqlite3(path.join(temp.dir, 'beseda.db'));
    db.exec('CREATE TABLE ballast (data BLOB)');
    const insert = db.prepare('INSERT INTO ballast VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 160; i++) insert.run(crypto.randomBytes(1024 * 1024));
    })();
    db.close();

    host = await startWebHost(temp.dir);
    api = await connectBridge(host.url);
    const before = (await api.call('backups.status')).backups.map((b) => b.id);
    expect(before).toContain(earlier.id);
    void api.call('backups.create').catch(() => undefined);
    await waitFor(
      async () => (await api.call('backups.status')).running?.phase === 'sealing',
      20_000,
      'backup sealing',
    );
    const dir = path.join(temp.dir, 'backups');
    await waitFor(
      () => fs.readdirSync(dir).some((name) => name.endsWith('.partial')),
      10_000,
      'partial file on disk',
    );
    await host.stop('SIGKILL');
    const left = fs.readdirSync(dir);
    expect(left.some((name) => name.endsWith('.partial'))).toBe(true);

    host = await startWebHost(temp.dir);
    api = await connectBridge(host.url);
    const after = await api.call('backups.status');
    expect(after.backups.map((b) => b.id).sort()).toEqual([...before].sort());
    expect(
      fs.readdirSync(dir).filter((n) => n.endsWith('.partial') || n.startsWith('.work-')),
    ).toEqual([]);
    for (const id of before)
      expect((await api.call('backups.verify', { id })).state).toBe('verified');
    const incidents = await api.call('incidents.list');
    expect(incidents.map((i) => i.key)).toContain('unclean_shutdown');
    api.close();
    await host.stop();
  }, 120_000);
});
