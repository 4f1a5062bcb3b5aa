// Invite to another server: the time from pasting an invite link for a server the app is not on
// (asked who answers there, then moved there: TLS first contact, pinning, sign-in) to the room's
// history being there to show, against joining a room with the same history on the server the
// app is already on, in the same run. Alice hosts for others (the embedded server on the local
// network, TLS); each run a new Bob (a fresh install on his own embedded server) takes her link,
// and Carol, already on Alice's server, joins a room of the same size with its code.
import path from 'node:path';
import { callService as call, loadModule, median, fmt, tempDir, until } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const HISTORY = Number(process.env.HISTORY ?? 200);

const { startServices } = await loadModule('src-main/services/container.ts');
const { createNodePlatform } = await loadModule('src-main/platform/node-platform.ts');
const { silentLogger } = await loadModule('src-shared/log.ts');

const root = tempDir('beseda-bench-invite-');
const app = async (name) => {
  const services = await startServices({
    dataDir: path.join(root, name),
    platform: createNodePlatform(),
    logger: silentLogger,
    host: 'web',
  });
  await call(services, 'identity.create', { displayName: name });
  await until(() => services.sync.status().phase === 'ready', 15_000, `${name} signed in`);
  return services;
};
/** A room of Alice's with HISTORY messages, all on the server. */
const roomWithHistory = async (alice, name) => {
  const room = await call(alice, 'rooms.create', { name });
  for (let i = 0; i < HISTORY; i++)
    await call(alice, 'messages.send', { roomId: room.id, body: `${name} message ${i}` });
  await until(() => alice.sync.status().outbox === 0, 30_000, 'history sent');
  return room;
};
/** Until the room's newest page holds the whole history (what the room view shows first). */
const historyShown = (services, roomId) =>
  until(
    async () => {
      const page = await services.dispatch('messages.page', { roomId, limit: 50 });
      return (
        page.ok &&
        page.value.messages.length === Math.min(50, HISTORY) &&
        services.messages.seqs(roomId)?.synced === HISTORY
      );
    },
    30_000,
    'history shown',
  );

const alice = await app('Alice');
await call(alice, 'settings.update', { hosting: { enabled: true } });
await until(() => alice.hosting.status().state === 'on', 20_000, 'hosting on');
await until(
  () => alice.sync.status().phase === 'ready',
  15_000,
  'Alice back on her hosting server',
);
const hostingUrl = alice.endpoint.hostingUrls()[0];

// Carol is on Alice's server already (she took an invite before): joins by code there.
const carol = await app('Carol');
const first = await roomWithHistory(alice, 'Carol first');
const firstLink = await call(alice, 'invites.link', { code: first.inviteCode, url: hostingUrl });
if (!firstLink.shareable) throw new Error(`no address colleagues can use: ${firstLink.link}`);
await call(carol, 'invites.accept', { text: firstLink.link });

const local = [];
const remote = [];
for (let run = 0; run < RUNS; run++) {
  const sameServer = await roomWithHistory(alice, `Same server ${run}`);
  const t0 = performance.now();
  const joined = await call(carol, 'invites.accept', { text: sameServer.inviteCode });
  await historyShown(carol, joined.id);
  local.push(performance.now() - t0);

  const otherServer = await roomWithHistory(alice, `Other server ${run}`);
  const { link } = await call(alice, 'invites.link', {
    code: otherServer.inviteCode,
    url: hostingUrl,
  });
  const bob = await app(`Bob ${run}`);
  const t1 = performance.now();
  const check = await call(bob, 'invites.check', { text: link });
  if (!check.server || check.server.problem) throw new Error(`check: ${JSON.stringify(check)}`);
  const room = await call(bob, 'invites.accept', { text: link });
  await historyShown(bob, room.id);
  remote.push(performance.now() - t1);
  await bob.stop();
}
await carol.stop();
await alice.stop();

const base = median(local);
const moved = median(remote);
console.log(
  `invite join, ${HISTORY} messages of history, ${RUNS} runs (hosting over TLS at ${new URL(hostingUrl).host})`,
);
console.log(
  `  join on the current server (code):        median ${fmt(base)}  [${local.map((v) => v.toFixed(0)).join(', ')}]`,
);
console.log(
  `  invite for another server (link, asked):  median ${fmt(moved)}  [${remote.map((v) => v.toFixed(0)).join(', ')}]`,
);
console.log(`  ratio (other server / current server):    ${(moved / base).toFixed(2)}x`);
