/**
 * The server's own data: `server.cjs backup` copies it while the server runs (integrity-checked,
 * with a manifest), `server.cjs restore` puts it back into a stopped server's data directory, and
 * the restarted server has exactly what it had at the backup, the same id and signing secret.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ask, connectHello, signedIn } from '../support/protocol-client';
import { ROOT, startServer } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

const cli = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(ROOT, 'dist/server/server.cjs'), ...args], {
    encoding: 'utf8',
  }).trim();

describe('server data backup and restore', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('backs up a running server and restores it into a stopped one', async () => {
    const dataDir = path.join(temp.dir, 'data');
    let server = await startServer(dataDir);
    const port = new URL(server.url).port;
    const alice = await signedIn(server.url, 'Alice');
    const probe = await connectHello(server.url);
    const serverId = probe.welcome.serverId;
    probe.client.close();
    const { room } = (await ask(alice.client, { t: 'room.create', name: 'Ops' })) as unknown as {
      room: { id: string };
    };
    const send = (i: number) =>
      ask(alice.client, {
        t: 'msg.send',
        roomId: room.id,
        clientId: `ops-${1000 + i}`,
        body: `m${i}`,
      });
    for (let i = 0; i < 30; i++) await send(i);

    const backup = cli('backup', '--data-dir', dataDir, '--out', path.join(temp.dir, 'backups'));
    const manifest = JSON.parse(fs.readFileSync(path.join(backup, 'manifest.json'), 'utf8'));
    expect(
      manifest.databases.map((d: { name: string; check: string }) => [d.name, d.check]),
    ).toEqual([
      ['server.db', 'ok'],
      ['analytics.db', 'ok'],
    ]);
    // The identity goes with the data: a restored server is the same server to every app.
    expect(manifest.files.sort()).toEqual([
      'server-id',
      'server-key',
      'tls-cert.pem',
      'tls-key.pem',
      'token-secret',
    ]);

    for (let i = 30; i < 40; i++) await send(i);
    alice.client.close();
    await server.stop();
    expect(cli('restore', '--data-dir', dataDir, '--from', backup)).toMatch(
      /^restored; the previous files are in /,
    );

    server = await startServer(dataDir, ['--port', port]);
    // Same id and token secret: Alice's session token from before still signs her in.
    const again = await connectHello(server.url);
    expect(again.welcome.serverId).toBe(serverId);
    expect(await ask(again.client, { t: 'auth.token', token: alice.token })).toMatchObject({
      t: 'authed',
      userId: alice.userId,
    });
    const history = (await ask(again.client, {
      t: 'history',
      roomId: room.id,
      limit: 100,
    })) as unknown as {
      messages: Array<{ body: string }>;
    };
    expect(history.messages.map((m) => m.body)).toEqual(
      Array.from({ length: 30 }, (_, i) => `m${i}`),
    );
    again.client.close();
    await server.stop();
    // A damaged backup is refused before anything is touched.
    fs.writeFileSync(path.join(backup, 'server.db'), Buffer.alloc(8192, 1));
    expect(() => cli('restore', '--data-dir', dataDir, '--from', backup)).toThrow();
    expect(fs.existsSync(path.join(dataDir, 'server.db'))).toBe(true);
  });
});
