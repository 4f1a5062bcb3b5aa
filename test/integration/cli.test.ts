import { makeTempDir } from '../support/temp-dir';
import { startServer, startWebHost, startChild } from '../support/processes';
import { hostAccess } from '../support/host-access';
import { connectFrames } from '../support/ws-client';

// The built entry points, as `npm run server` and `npm run web` start them.
describe('command-line entry points', () => {
  it('server: prints its ws URL on a line of its own and stops on SIGTERM with code 0', async () => {
    const temp = makeTempDir();
    const server = await startServer(temp.dir);
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const health = await fetch(server.url.replace('ws:', 'http:').replace(/\/ws$/, '/healthz'));
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const client = await connectFrames(server.url);
    expect(await server.stop()).toBe(0);
    expect((await client.closed).code).toBe(1001);
    expect(server.log()).toContain('"msg":"server stopped"');
    temp.cleanup();
  });

  it('server: refuses a bad option with exit code 2 and a message', async () => {
    await expect(startChild('dist/server/server.cjs', ['--port', 'many'])).rejects.toThrow(
      /exited \(2\)[\s\S]*port/,
    );
  });

  it('web host: prints its http URL, connects to a --server given for the run, stops cleanly', async () => {
    const serverDir = makeTempDir();
    const hostDir = makeTempDir();
    const server = await startServer(serverDir.dir);
    const host = await startWebHost(hostDir.dir, ['--server', server.url]);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[A-Za-z0-9_-]{43}$/);
    const access = hostAccess(host.url);
    const bridge = await connectFrames(access.bridgeUrl, access.socketOptions);
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 100 && status.state !== 'online'; i++) {
      bridge.send({ kind: 'call', id: i, channel: 'connection.status' });
      const reply = await bridge.next<{ id: number; result: { value: Record<string, unknown> } }>(
        (f) => f.id === i,
      );
      status = reply.result.value;
      if (status.state !== 'online') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toMatchObject({
      state: 'online',
      url: server.url,
      source: 'override',
      embedded: false,
    });
    expect(await host.stop()).toBe(0);
    expect(host.log()).toContain('"msg":"services stopped"');
    await server.stop();
    serverDir.cleanup();
    hostDir.cleanup();
  });
});
