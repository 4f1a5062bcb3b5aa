/**
 * Attacks on the server's connection handling, performed as a reviewer did: hundreds of sockets
 * that never finish their HTTP headers, sockets that upgrade and never say hello, /metrics read
 * from another computer, and a flooder that stops reading while it floods. Each now fails, and
 * the ordinary path beside it still works. The "other computer" is a network namespace.
 */
import type net from 'node:net';
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import type { ServerConfigInput } from '../../src-server/config';
import { silentLogger } from '../../src-shared/log';
import { makeNamespace, type TestNamespace } from '../support/netns';
import { ask, connectHello, helloFor, signedIn } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';
import { connectFrames, waitFor } from '../support/ws-client';

describe('server against slow and hostile clients', () => {
  const temp = makeTempDir();
  const servers: RunningServer[] = [];
  let ns: TestNamespace;
  beforeAll(() => {
    ns = makeNamespace();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    ns?.remove();
    temp.cleanup();
  });
  const start = async (config: Partial<ServerConfigInput>) => {
    const server = await startSignalingServer(
      {
        host: '0.0.0.0',
        port: 0,
        dataDir: path.join(temp.dir, `server-${servers.length}`),
        ...config,
      },
      silentLogger,
    );
    servers.push(server);
    return server;
  };

  it('lets sockets that never finish their headers crowd out nobody, and times them out', async () => {
    const server = await start({ headersTimeoutMs: 1500, maxPendingPerAddress: 16 });
    // From the other computer: 300 sockets that send half a request line and then nothing.
    const attack = ns.node(`
      const net = require('node:net');
      let open = 0, refused = 0, closedByServer = 0, data = 0;
      const sockets = [];
      for (let i = 0; i < 300; i++) {
        const s = net.connect(${server.port}, '${ns.hostAddress}');
        s.on('connect', () => { open++; s.write('GET /ws HTTP/1.1\\r\\nHost: x\\r\\n'); });
        s.on('error', () => refused++);
        s.on('data', () => data++); // read the 408, or its socket would never report its close
        s.on('close', () => {
          if (++closedByServer === 300) done();
        });
        sockets.push(s);
      }
      // Sockets the kernel queued while the first ones were held may be taken only later.
      const done = () => { console.log(JSON.stringify({ open, refused, closedByServer, data })); process.exit(0); };
      setTimeout(done, 15000);
    `);
    // Meanwhile a real client from this computer connects, signs in and is served.
    await new Promise((r) => setTimeout(r, 800));
    const real = await signedIn(server.url, 'Real');
    expect((await ask(real.client, { t: 'rooms.list' })).t).toBe('rooms');
    const result = await attack;
    const outcome = JSON.parse(result.stdout) as { closedByServer: number };
    // All 300 were closed by the server: past the cap at once, the others at the headers timeout.
    expect(outcome.closedByServer).toBe(300);
    expect(server.counters().refusedPendingConnections).toBeGreaterThanOrEqual(300 - 16);
    real.client.close();
  }, 30_000);

  it('closes a socket that upgrades and never says hello', async () => {
    const server = await start({ helloTimeoutMs: 500 });
    const silent = await connectFrames(server.url);
    const talker = await connectHello(server.url);
    const closed = await silent.closed;
    expect(closed).toEqual({ code: 1008, reason: 'no hello' });
    expect(server.counters().disconnectedForSilence).toBe(1);
    // The one that said hello stays.
    await new Promise((r) => setTimeout(r, 300));
    expect(talker.client.socket.readyState).toBe(1);
    talker.client.close();
  });

  it('serves /metrics to this machine and to the token holder only', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const server = await start({ metricsToken: token });
    const fetchFromThere = (auth: string | null) =>
      ns.node(`
        fetch('http://${ns.hostAddress}:${server.port}/metrics'${
          auth ? `, { headers: { Authorization: '${auth}' } }` : ''
        }).then(async (r) => console.log(r.status + ' ' + (await r.text()).slice(0, 40)));
      `);
    expect((await fetchFromThere(null)).stdout).toMatch(/^401 /);
    expect((await fetchFromThere('Bearer wrong-token-0123456789')).stdout).toMatch(/^401 /);
    expect((await fetchFromThere(`Bearer ${token}`)).stdout).toMatch(/^200 # HELP/);
    const local = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(local.status).toBe(200);
    // Without a configured token, another computer is simply refused.
    const open = await start({});
    const fromThere = await ns.node(`
      fetch('http://${ns.hostAddress}:${open.port}/metrics').then((r) => console.log(r.status));
    `);
    expect(fromThere.stdout.trim()).toBe('403');
    expect(server.counters().refusedMetrics).toBe(2);
  });

  it('stops reading a flooder that stopped reading, and cuts it within a second or two', async () => {
    const server = await start({
      rateLimitPerSec: 50,
      rateLimitBurst: 100,
      rateLimitPatience: 100,
    });
    const flooder = await signedIn(server.url, 'Flooder');
    const bystander = await signedIn(server.url, 'Bystander');
    // The flooder reads nothing from now on, and writes as fast as its socket takes it.
    flooder.client.socket.pause();
    const raw = (flooder.client.socket as unknown as { _socket: net.Socket })._socket;
    const frame = JSON.stringify({ t: 'rooms.list', rid: 1 });
    let stop = false;
    const pump = () => {
      while (!stop && raw.writable) {
        if (!flooder.client.socket.send || raw.writableLength > 1 << 20) break;
        flooder.client.sendText(frame);
      }
      if (!stop && raw.writable) setTimeout(pump, 1);
    };
    pump();
    await waitFor(() => server.counters().disconnectedForRate === 1, 10_000, 'flooder refused');
    const readAtClose = server.counters().framesReceived;
    await waitFor(() => server.connections() === 1, 3000, 'flooder cut');
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    // Almost nothing was read after the decision to close (at most what one TCP read held).
    expect(server.counters().framesReceived - readAtClose).toBeLessThan(2000);
    expect((await ask(bystander.client, { t: 'rooms.list' })).t).toBe('rooms');
    bystander.client.close();
  }, 20_000);

  it('still speaks to an ordinary client', async () => {
    const server = await start({});
    const client = await connectFrames(server.url);
    client.send(helloFor(server.url));
    expect((await client.next<{ t: string }>()).t).toBe('welcome');
    client.close();
  });
});
