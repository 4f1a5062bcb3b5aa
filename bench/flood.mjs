#!/usr/bin/env node
// Flood: the members of one room each send a message every 200 ms for DURATION_S and time the
// server's ack; p50/p99 without a flood, then with a newly registered member of the same room
// flooding it: 1,000 messages at once every 2 s and messages at 100x its rate limit (the
// server's defaults: 200 frames/s), signing in again each time the server closes it. Same
// server process for both runs; prints the ratio of the p99s (goal: within 2x).
// MEMBERS=10 DURATION_S=10
import { fmt, median, quantile, startEntry, tempDir } from './lib.mjs';
import { ask, keyPair, signedIn } from './protocol.mjs';

const MEMBERS = Number(process.env.MEMBERS ?? 10);
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const LIMIT = 200; // the server's default frames/s per connection
// 100x the limit, sent in 10 ms slices (100 a second).
const PER_SLICE = (LIMIT * 100) / 100;

const server = await startEntry('dist/server/server.cjs', [
  // Every simulated user signs up from this one address.
  '--new-identities-burst',
  '100000',
  '--port',
  '0',
  '--data-dir',
  tempDir('beseda-bench-flood-'),
]);
try {
  const owner = await signedIn(server.url, 'Owner');
  const { room } = await ask(owner, { t: 'room.create', name: 'Flood' });
  const members = [];
  for (let i = 0; i < MEMBERS; i++) {
    const member = await signedIn(server.url, `Member ${i}`);
    await ask(member, { t: 'room.join', code: room.inviteCode });
    members.push(member);
  }

  let sequence = 0;
  async function chat() {
    const latencies = [];
    const end = performance.now() + DURATION_S * 1000;
    await Promise.all(
      members.map(async (member, m) => {
        while (performance.now() < end) {
          const t = performance.now();
          await ask(member, {
            t: 'msg.send',
            roomId: room.id,
            clientId: `m${m}-${String(sequence++).padStart(8, '0')}`,
            body: 'hello',
          });
          latencies.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 200));
        }
      }),
    );
    return latencies;
  }

  const quiet = await chat();

  // The flooder: a newly registered member of the same room, sending 1,000 messages at once
  // every 2 s (the reviewer's attack) plus frames at 100x its limit in 10 ms slices, signing in
  // again (same key) whenever it is disconnected, for as long as the members chat.
  let flooding = true;
  let frames = 0;
  let disconnects = 0;
  let floodAcks = 0;
  const flooderKey = keyPair();
  const floodMessage = (n) =>
    JSON.stringify({
      t: 'msg.send',
      rid: 1e9 + n,
      roomId: room.id,
      clientId: `flood-${String(n).padStart(10, '0')}`,
      body: 'flood',
    });
  const flooder = (async () => {
    while (flooding) {
      const socket = await signedIn(server.url, 'Flooder', flooderKey);
      await ask(socket, { t: 'room.join', code: room.inviteCode });
      socket.on('message', (data) => {
        if (JSON.parse(data.toString()).t === 'ack') floodAcks++;
      });
      await new Promise((resolve) => {
        const burst = () => {
          for (let i = 0; i < 1000 && socket.readyState === 1; i++, frames++)
            socket.send(floodMessage(frames));
        };
        burst();
        const bursts = setInterval(burst, 2000);
        const timer = setInterval(() => {
          if (!flooding) socket.close();
          for (let i = 0; i < PER_SLICE && socket.readyState === 1; i++, frames++)
            socket.send(floodMessage(frames));
        }, 10);
        socket.once('close', (code) => {
          clearInterval(timer);
          clearInterval(bursts);
          if (code === 1008) disconnects++;
          resolve();
        });
      });
    }
  })();
  const flooded = await chat();
  flooding = false;
  await flooder;

  const health = await (
    await fetch(server.url.replace('ws:', 'http:').replace(/\/ws$/, '/metrics'))
  ).text();
  const limited = /^beseda_rate_limited_total (\d+)$/m.exec(health)?.[1];
  const line = (name, values) =>
    `${name}: ${values.length} messages acknowledged, p50 ${fmt(median(values))}, p99 ${fmt(quantile(values, 0.99))}`;
  console.log(line(`${MEMBERS} members, no flood`, quiet));
  console.log(line(`${MEMBERS} members, one client flooding at 100x`, flooded));
  console.log(
    `flooder: ${frames} messages sent, ${floodAcks} stored, ${limited} refused as rate_limited, disconnected ${disconnects} times`,
  );
  console.log(
    `p99 with flood / without: ${(quantile(flooded, 0.99) / quantile(quiet, 0.99)).toFixed(2)}x (goal: within 2x)`,
  );
  owner.close();
  for (const m of members) m.close();
} finally {
  await server.stop();
}
