/**
 * The server's boundaries against abuse: a flooding client is told `rate_limited` and then
 * disconnected while 20 others chatting in the same room lose nothing; one identity's
 * connections share a limit; a foreign browser Origin and too many sockets from one address are
 * refused at the upgrade; /metrics reports it all in Prometheus' text format.
 * (Latency under flood, against a run without it, is measured by bench/flood.mjs.)
 */
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import type { ServerConfigInput } from '../../src-server/config';
import { silentLogger } from '../../src-shared/log';
import { ask, signedIn, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';
import { connectFrames } from '../support/ws-client';

describe('server limits', () => {
  const temp = makeTempDir();
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    temp.cleanup();
  });
  const start = async (config: Partial<ServerConfigInput>) => {
    const server = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(temp.dir, `server-${servers.length}`),
        // Many people from one address (this machine) sign up here.
        newIdentitiesBurst: 100,
        ...config,
      },
      silentLogger,
    );
    servers.push(server);
    return server;
  };

  it('throttles then disconnects a flooding client while 20 others lose nothing', async () => {
    const server = await start({
      rateLimitPerSec: 50,
      rateLimitBurst: 100,
      rateLimitPatience: 300,
      identityRateLimitPerSec: 100,
      identityRateLimitBurst: 200,
    });
    const owner = await signedIn(server.url, 'Owner');
    const { room } = (await ask(owner.client, { t: 'room.create', name: 'Busy' })) as unknown as {
      room: { id: string; inviteCode: string };
    };
    const members = [];
    for (let i = 0; i < 20; i++) {
      const member = await signedIn(server.url, `Member ${i}`);
      await ask(member.client, { t: 'room.join', code: room.inviteCode });
      members.push(member);
    }
    const flooder = await signedIn(server.url, 'Flooder');
    await ask(flooder.client, { t: 'room.join', code: room.inviteCode });

    // The flooder sends 5,000 frames a second (100x its 50/s) until the server closes it.
    const refusals: Frame[] = [];
    flooder.client.socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.t === 'error') refusals.push(frame);
    });
    let sent = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 50 && flooder.client.socket.readyState === 1; i++, sent++)
        flooder.client.send({ t: 'history', roomId: room.id, limit: 1, rid: 1_000_000 + sent });
    }, 10);
    // Meanwhile every member sends 10 messages at 10/s: each is acknowledged, none refused.
    const replies = await Promise.all(
      members.map(async (member, m) => {
        const answers: Frame[] = [];
        for (let i = 0; i < 10; i++) {
          answers.push(
            await ask(member.client, {
              t: 'msg.send',
              roomId: room.id,
              clientId: `m${m}-${String(i).padStart(5, '0')}`,
              body: `message ${i}`,
            }),
          );
          await new Promise((r) => setTimeout(r, 100));
        }
        return answers;
      }),
    );
    const closed = await flooder.client.closed;
    clearInterval(flood);

    expect(closed).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    expect(refusals.length).toBeGreaterThan(100);
    expect(refusals.every((f) => f.code === 'rate_limited')).toBe(true);
    // Refusals answer the request they refuse.
    expect(refusals.filter((f) => typeof f.rid === 'number').length).toBeGreaterThan(100);
    expect(replies.flat().map((r) => r.t)).toEqual(new Array(200).fill('ack'));
    const history = (await ask(owner.client, {
      t: 'history',
      roomId: room.id,
      limit: 500,
    })) as unknown as { messages: unknown[] };
    expect(history.messages).toHaveLength(200);
    expect(server.counters()).toMatchObject({ disconnectedForRate: 1 });
    expect(server.counters().rateLimited).toBeGreaterThanOrEqual(refusals.length);

    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    // The owner and 20 members; the flooder is gone.
    expect(metrics).toMatch(/^beseda_connections 21$/m);
    expect(metrics).toMatch(/^beseda_messages_total 200$/m);
    expect(metrics).toMatch(/^beseda_disconnected_total\{reason="rate_limit"\} 1$/m);
    expect(metrics).toMatch(/^beseda_rate_limited_total \d+$/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
    for (const member of [owner, ...members]) member.client.close();
  });

  it('shares one limit across the connections of an identity', async () => {
    const server = await start({
      rateLimitPerSec: 1000,
      rateLimitBurst: 1000,
      identityRateLimitPerSec: 1,
      identityRateLimitBurst: 30,
    });
    const first = await signedIn(server.url, 'Twin');
    // The same key signs in on a second connection: the same identity.
    const second = await signedIn(server.url, 'Twin', first.key);
    expect(second.userId).toBe(first.userId);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++)
      for (const c of [first, second])
        outcomes.push(String((await ask(c.client, { t: 'rooms.list' })).t));
    // 30 at once for both together (the sign-ins took two), then refusals.
    expect(outcomes.filter((t) => t !== 'error').length).toBeGreaterThanOrEqual(27);
    expect(outcomes.filter((t) => t !== 'error').length).toBeLessThanOrEqual(30);
    expect(outcomes.slice(-5)).toEqual(new Array(5).fill('error'));
    const other = await signedIn(server.url, 'Someone else');
    expect((await ask(other.client, { t: 'rooms.list' })).t).not.toBe('error');
    for (const c of [first, second, other]) c.client.close();
  });

  it('refuses a foreign Origin and too many sockets from one address at the upgrade', async () => {
    const server = await start({
      maxConnectionsPerAddress: 3,
      allowedOrigins: 'https://beseda.example',
    });
    await expect(connectFrames(server.url, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
    const allowed = await connectFrames(server.url, { origin: 'https://beseda.example' });
    const native = [await connectFrames(server.url), await connectFrames(server.url)];
    await expect(connectFrames(server.url)).rejects.toThrow('HTTP 429');
    allowed.close();
    await allowed.closed;
    // A closed socket frees its place.
    const again = await connectFrames(server.url);
    expect(server.counters().refusedUpgrades).toBe(2);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^beseda_upgrades_refused_total\{reason="origin"\} 1$/m);
    expect(metrics).toMatch(/^beseda_upgrades_refused_total\{reason="per_address"\} 1$/m);
    for (const c of [...native, again]) c.close();
  });

  it('checks a session token shown at the upgrade: a forged or expired one gets 401', async () => {
    const server = await start({ tokenTtlMs: 1500 });
    const { client, token } = await signedIn(server.url, 'Token holder');
    const good = await connectFrames(server.url, { headers: { Authorization: `Bearer ${token}` } });
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    for (const bad of [forged, 'not-a-token', ''])
      await expect(
        connectFrames(server.url, { headers: { Authorization: `Bearer ${bad}` } }),
      ).rejects.toThrow('HTTP 401');
    await new Promise((r) => setTimeout(r, 1600));
    await expect(
      connectFrames(server.url, { headers: { Authorization: `Bearer ${token}` } }),
    ).rejects.toThrow('HTTP 401');
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^beseda_upgrades_refused_total\{reason="token"\} 4$/m);
    good.close();
    client.close();
  });
});
