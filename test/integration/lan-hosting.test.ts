/**
 * "Let others join this computer", seen from another computer (a network namespace of the test's
 * own, joined by a veth pair): hosting on, the embedded server answers at the chosen port over
 * TLS with the certificate its key vouches for and is announced over mDNS (`_beseda._tcp`, with
 * its fingerprint); hosting off, the address no longer answers and the announcement says goodbye;
 * on again, the same port (chosen once and kept).
 */
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { silentLogger } from '../../src-shared/log';
import type { HostingStatus } from '../../src-shared/ipc/types';
import { makeNamespace, type TestNamespace } from '../support/netns';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';
import { appClient, waitReady } from '../support/app-client';

/** Connects over TLS from the namespace; prints the certificate's SHA-256 or the error code. */
const tlsProbe = (host: string, port: number) => `
  const tls = require('node:tls'); const crypto = require('node:crypto');
  const socket = tls.connect({ host: '${host}', port: ${port}, rejectUnauthorized: false, timeout: 5000 });
  socket.on('secureConnect', () => {
    const cert = socket.getPeerX509Certificate();
    console.log('cert ' + crypto.createHash('sha256').update(cert.raw).digest('hex'));
    socket.end();
  });
  socket.on('timeout', () => { console.log('error ETIMEDOUT'); socket.destroy(); });
  socket.on('error', (e) => console.log('error ' + e.code));
`;

/** Browses for _beseda._tcp on the namespace's interface; prints "up"/"down" with fingerprint. */
const browser = (address: string) => `
  const { Bonjour } = require('bonjour-service');
  const bonjour = new Bonjour({ interface: '${address}', bind: '0.0.0.0' });
  const found = bonjour.find({ type: 'beseda' });
  const line = (what, s) => console.log([what, s.txt && s.txt.fp, s.port, s.referer && s.referer.address].join(' '));
  found.on('up', (s) => line('up', s));
  found.on('down', (s) => line('down', s));
  setInterval(() => found.update(), 1000);
`;

describe('hosting for others on the local network', () => {
  const temp = makeTempDir();
  let ns: TestNamespace;
  let services: Services;

  beforeAll(async () => {
    ns = makeNamespace();
    services = await startServices({
      dataDir: temp.dir,
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
    });
    const api = appClient(services);
    await api('identity.create', { displayName: 'Alice' });
    await waitReady(services);
  });
  afterAll(async () => {
    await services?.stop();
    ns?.remove();
    temp.cleanup();
  });

  it('answers over TLS on a kept port and is announced while on; neither once off', async () => {
    const api = appClient(services);
    const watcher = ns.spawnNode(browser(ns.address));
    try {
      expect((await api('hosting.status')).state).toBe('off');
      await api('settings.update', { hosting: { enabled: true } });
      const on = (await waitFor(
        () => {
          const s = services.hosting.status();
          return (
            s.state === 'on' && s.announced && s.addresses.every((a) => a.reachable !== null) && s
          );
        },
        20_000,
        'hosting on, announced and checked',
      )) as HostingStatus;
      const port = on.port!;
      expect(services.settings.get().hosting.port).toBe(port);
      const url = `wss://${ns.hostAddress}:${port}/ws`;
      // The address the test made is listed, and it answers from this computer.
      expect(on.addresses).toContainEqual({ url, reachable: true, problem: null });
      // This app itself moved to the hosting server (TLS on loopback), and is signed in there.
      await waitReady(services, 15_000);
      expect(services.connection.status().url).toBe(`wss://127.0.0.1:${port}/ws`);

      // From the other computer: TLS at that port, with the certificate the key vouches for.
      const server = services.endpoint.embeddedServer()!;
      const reached = await ns.node(tlsProbe(ns.hostAddress, port));
      expect(reached.stdout.trim()).toBe(`cert ${server.tlsCert}`);
      // ...and announced there, with the fingerprint and port.
      const fp = on.fingerprint!.replace(/ /g, '');
      await watcher.line((l) => l.startsWith(`up ${fp} ${port} ${ns.hostAddress}`));

      // Another app on the network lists it (with its fingerprint) and connects in one step.
      const bob = await startServices({
        dataDir: `${temp.dir}/bob`,
        platform: createNodePlatform(),
        logger: silentLogger,
        host: 'web',
      });
      try {
        const bobApi = appClient(bob);
        await bobApi('identity.create', { displayName: 'Bob' });
        await waitReady(bob);
        await bobApi('hosting.status'); // Settings > Server open: listening for servers
        const found = (await waitFor(
          () => bob.hosting.status().discovered.find((d) => d.fingerprint === on.fingerprint),
          20_000,
          "Alice's server in Bob's list",
        ))!;
        expect(found.url).toMatch(new RegExp(`^wss://[^/]+:${port}/ws$`));
        await bobApi('servers.connect', { url: found.url, fingerprint: found.fingerprint });
        expect(bob.connection.status()).toMatchObject({
          state: 'online',
          fingerprint: on.fingerprint,
          embedded: false,
        });
        expect(bob.settings.get()).toMatchObject({ serverUrl: found.url, previousServerUrl: null });
      } finally {
        await bob.stop();
      }

      // Off: no longer reachable from there; the announcement says goodbye.
      await api('settings.update', { hosting: { enabled: false } });
      await watcher.line((l) => l.startsWith(`down ${fp}`));
      await waitFor(() => services.hosting.status().state === 'off', 10_000, 'hosting off');
      const closed = await ns.node(tlsProbe(ns.hostAddress, port));
      expect(closed.stdout.trim()).toBe('error ECONNREFUSED');
      // The app is back on its private loopback server, and still signed in.
      await waitFor(
        () => /^ws:\/\/127\.0\.0\.1:\d+\/ws$/.test(services.connection.status().url ?? ''),
        10_000,
        'back on loopback',
      );
      await waitReady(services, 15_000);

      // On again: the same port as before.
      await api('settings.update', { hosting: { enabled: true } });
      const again = (await waitFor(
        () => services.hosting.status().state === 'on' && services.hosting.status(),
        20_000,
        'hosting on again',
      )) as HostingStatus;
      expect(again.port).toBe(port);
    } finally {
      watcher.stop();
    }
  });
});
