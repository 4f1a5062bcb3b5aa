/**
 * Every way an invite for another server can fail says which it is: a port nobody answers on, a
 * different server at the address than the one the link names, a code unknown on that server.
 * The link a room shares names a server only where others can reach it.
 */
import net from 'node:net';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { inviteLink } from '../../src-shared/protocol/entities';
import { makeTempDir } from '../support/temp-dir';
import { appClient, waitReady } from '../support/app-client';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('invites for another server, in words', () => {
  const temp = makeTempDir();
  let services: Services;
  let other: RunningServer;

  beforeAll(async () => {
    other = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: `${temp.dir}/other`,
        tls: 'self-signed',
        name: 'Office',
      },
      silentLogger,
    );
    services = await startServices({
      dataDir: `${temp.dir}/app`,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
    });
    await appClient(services)('identity.create', { displayName: 'Bob' });
    await waitReady(services);
  });
  afterAll(async () => {
    await services?.stop();
    await other?.close();
    temp.cleanup();
  });

  it('shows the other server by name before anything is joined', async () => {
    const api = appClient(services);
    const link = inviteLink('ABCDEFGHJKLM', { url: other.url, fingerprint: other.fingerprint });
    const check = await api('invites.check', { text: link });
    expect(check.server).toMatchObject({
      url: other.url,
      name: 'Office',
      fingerprint: other.fingerprint,
      problem: null,
      replacesTrusted: false,
    });
    // Nothing changed yet: still on this computer.
    expect(services.connection.status().embedded).toBe(true);
    // A bare code is for the server the app is on.
    expect((await api('invites.check', { text: 'ABCDEFGHJKLM' })).server).toBeNull();
  });

  it('says when another server answers at the address than the link names', async () => {
    const wrong = '0000 1111 2222 3333 4444 5555 6666 7777 8888 9999';
    const link = inviteLink('ABCDEFGHJKLM', { url: other.url, fingerprint: wrong });
    const check = await appClient(services)('invites.check', { text: link });
    expect(check.server?.problem).toContain('A different server answers');
    expect(check.server?.problem).toContain(other.fingerprint);
  });

  it('says when nothing answers at the address', async () => {
    const url = `wss://127.0.0.1:${await freePort()}/ws`;
    const link = inviteLink('ABCDEFGHJKLM', { url, fingerprint: other.fingerprint });
    const check = await appClient(services)('invites.check', { text: link });
    expect(check.server?.problem).toMatch(
      /refused the connection: the server is not running there, or a firewall/,
    );
  });

  it('moves to the server, then says the code is unknown there, naming it', async () => {
    const api = appClient(services);
    const link = inviteLink('ABCDEFGHJKLM', { url: other.url, fingerprint: other.fingerprint });
    await expect(api('invites.accept', { text: link })).rejects.toThrow(
      /No room on Office \(127\.0\.0\.1:\d+\) has the invite code ABCDEFGHJKLM/,
    );
    // The move itself happened and is kept, with the way back.
    expect(services.settings.get()).toMatchObject({
      serverUrl: other.url,
      previousServerUrl: null,
    });
    expect(services.connection.status()).toMatchObject({
      state: 'online',
      fingerprint: other.fingerprint,
    });
    // A room made there is shared with a link naming this server (on loopback: code only).
    const room = await api('rooms.create', { name: 'Ops' });
    const shared = await api('invites.link', { code: room.inviteCode! });
    expect(shared).toMatchObject({ shareable: false, link: `beseda://join/${room.inviteCode}` });
  });

  it('hands a link the system opened to the window once', async () => {
    const link = inviteLink('ABCDEFGHJKLM', { url: other.url, fingerprint: other.fingerprint });
    const events: unknown[] = [];
    const off = services.events.subscribe((name, payload) => {
      if (name === 'invite.opened') events.push(payload);
    });
    services.invites.open(link);
    services.invites.open('not a link');
    off();
    expect(events).toHaveLength(1);
    const api = appClient(services);
    await expect(api('invites.takeOpened')).resolves.toBe(link);
    await expect(api('invites.takeOpened')).resolves.toBeNull();
  });
});
