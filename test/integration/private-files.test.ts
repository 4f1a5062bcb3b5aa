/**
 * The data directory is the user's alone: folder 0700 and every file 0600, for a new installation,
 * for one made by an older version with looser modes, and for what the app writes as it runs
 * (databases and their WAL files, keys, the embedded server's data, backups); the standalone
 * server's data directory the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { silentLogger } from '../../src-shared/log';
import { appClient, waitReady } from '../support/app-client';
import { startServer } from '../support/processes';
import { signedIn, ask } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

/** Every entry under `dir` whose mode is not private, as "path mode". */
function loose(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    const mode = fs.statSync(folder).mode & 0o777;
    if (mode !== 0o700) found.push(`${folder} ${mode.toString(8)}`);
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && (fs.statSync(full).mode & 0o777) !== 0o600)
        found.push(`${full} ${(fs.statSync(full).mode & 0o777).toString(8)}`);
    }
  };
  walk(dir);
  return found;
}

function loosen(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) loosen(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o644);
  }
}

describe('private files', () => {
  const temp = makeTempDir();
  const dataDir = path.join(temp.dir, 'app');
  let services: Services | null = null;
  const umask = process.umask();
  afterAll(async () => {
    await services?.stop();
    process.umask(umask);
    temp.cleanup();
  });

  const start = () =>
    startServices({ dataDir, platform: createNodePlatform(), logger: silentLogger, host: 'web' });

  it('keeps the app data directory 0700 and its files 0600, and fixes an older installation', async () => {
    // As an older version (umask 022) would have left it.
    process.umask(0o022);
    services = await start();
    const call = appClient(services);
    await call('identity.create', { displayName: 'Mode' });
    await waitReady(services);
    const room = await call('rooms.create', { name: 'private' });
    await call('messages.send', { roomId: room.id, body: 'only mine' });
    await call('backups.create');
    await services.stop();
    services = null;
    loosen(dataDir);
    expect(loose(dataDir).length).toBeGreaterThan(5);

    services = await start();
    expect(loose(dataDir)).toEqual([]);
    // What is written from now on (WAL files, messages, another backup) is private too.
    await waitReady(services);
    await appClient(services)('messages.send', { roomId: room.id, body: 'still mine' });
    await appClient(services)('backups.create');
    expect(fs.existsSync(path.join(dataDir, 'beseda.db-wal'))).toBe(true);
    expect(loose(dataDir)).toEqual([]);
  });

  it("keeps the standalone server's data private", async () => {
    const dir = path.join(temp.dir, 'server');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const server = await startServer(dir);
    try {
      const alice = await signedIn(server.url, 'Alice');
      const room = await ask(alice.client, { t: 'room.create', name: 'r' });
      await ask(alice.client, {
        t: 'msg.send',
        roomId: (room.room as { id: string }).id,
        clientId: 'private-1',
        body: 'hello',
      });
      alice.client.close();
      expect(loose(dir)).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual(expect.arrayContaining(['server.db', 'token-secret']));
    } finally {
      await server.stop();
    }
  });
});
