// Outbox drain: 10,000 messages written while the server is down, then the server comes back;
// time from the server printing its URL to the last ack (outbox empty), on loopback. The server
// runs as its own process (the built one); the app's services run here, as in the browser host.
import path from 'node:path';
import { callService as call, loadModule, median, startEntry, tempDir, until } from './lib.mjs';

const COUNT = Number(process.env.COUNT ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);

const { startServices } = await loadModule('src-main/services/container.ts');
const { createNodePlatform } = await loadModule('src-main/platform/node-platform.ts');
const { silentLogger } = await loadModule('src-shared/log.ts');

const drains = [];
for (let run = 0; run < RUNS; run++) {
  const dir = tempDir('beseda-bench-outbox-');
  let server = await startEntry('dist/server/server.cjs', [
    // Every simulated user signs up from this one address.
    '--new-identities-burst',
    '100000',
    '--port',
    '0',
    '--data-dir',
    path.join(dir, 'server'),
  ]);
  const port = new URL(server.url).port;
  const services = await startServices({
    dataDir: path.join(dir, 'app'),
    platform: createNodePlatform(),
    logger: silentLogger,
    host: 'web',
    serverUrlOverride: server.url,
  });
  await call(services, 'identity.create', { displayName: 'Bench' });
  await until(() => services.sync.status().phase === 'ready', 10_000, 'sign-in');
  const room = await call(services, 'rooms.create', { name: 'Outbox' });

  await server.stop();
  await until(() => services.sync.status().phase === 'offline', 5000, 'offline');
  for (let i = 0; i < COUNT; i++)
    await call(services, 'messages.send', { roomId: room.id, body: `queued offline ${i}` });
  if (services.sync.status().outbox !== COUNT) throw new Error('not all queued');

  const t0 = performance.now();
  server = await startEntry('dist/server/server.cjs', [
    // Every simulated user signs up from this one address.
    '--new-identities-burst',
    '100000',
    '--port',
    port,
    '--data-dir',
    path.join(dir, 'server'),
  ]);
  services.connection.reconnectNow();
  await until(() => services.sync.status().outbox === 0, 120_000, 'outbox drained');
  const ms = performance.now() - t0;
  drains.push(ms);
  console.log(
    `run ${run + 1}: ${COUNT} messages acknowledged ${(ms / 1000).toFixed(2)} s after restart`,
  );
  await services.stop();
  await server.stop();
}
console.log(
  `outbox drain of ${COUNT.toLocaleString('en')} messages: median ${(median(drains) / 1000).toFixed(2)} s ` +
    `over ${RUNS} runs (goal < 5 s), ${Math.round(COUNT / (median(drains) / 1000))} messages/s`,
);
