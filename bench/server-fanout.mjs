// The server under load, against a bare `ws` broadcast server measured in the same run:
// 1) concurrent authenticated connections held by one instance (each signs the challenge);
// 2) fan-out latency p50/p99 in a 50-member room while one member sends 2,000 messages/s.
// The baseline server relays every text frame to every connection and does nothing else: the
// ratio is what auth, membership checks, SQLite storage and seq numbering cost.
import { spawn } from 'node:child_process';
import { quantile, startEntry, tempDir } from './lib.mjs';
import { ask, nextRid, open, signedIn } from './protocol.mjs';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 2000);
const MEMBERS = Number(process.env.MEMBERS ?? 50);
// The rate (2,000/s), and a lighter one where this 2-core machine is not saturated.
const RATES = (process.env.RATES ?? '500,2000').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);

/**
 * The send time carried in a pushed message's body. Read without parsing the whole frame: the
 * receivers share this one process, and parsing 100,000 frames/s would measure the bench itself.
 */
function stampOf(text) {
  if (!text.startsWith('{"t":"msg"')) return null;
  const at = text.indexOf('"body":"');
  return at < 0 ? null : parseFloat(text.slice(at + 8, at + 30));
}

/** Sends RATE messages/s for SECONDS from `send`; receivers record latency from the body's stamp. */
async function measureFanout(RATE, receivers, send, extractStamp) {
  const latencies = [];
  const expected = RATE * SECONDS * receivers.length;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const onMessage = (data) => {
    const stamp = extractStamp(data.toString());
    if (stamp === null) return;
    latencies.push(performance.now() - stamp);
    if (latencies.length >= expected) done();
  };
  for (const socket of receivers) socket.on('message', onMessage);
  let sent = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const timer = setInterval(
      () => {
        // Catch up to the schedule, so that timer jitter does not lower the rate.
        const due = Math.min(
          RATE * SECONDS,
          Math.floor(((performance.now() - start) / 1000) * RATE),
        );
        for (; sent < due; sent++) send(sent, performance.now());
        if (sent >= RATE * SECONDS) {
          clearInterval(timer);
          resolve();
        }
      },
      1000 / 100 / 2,
    );
  });
  await Promise.race([finished, new Promise((r) => setTimeout(r, 30_000))]);
  for (const socket of receivers) socket.off('message', onMessage);
  return { latencies, expected };
}

const report = (name, r) =>
  console.log(
    `${name.padEnd(10)} delivered ${r.latencies.length}/${r.expected}  ` +
      `p50 ${quantile(r.latencies, 0.5).toFixed(2)} ms  p99 ${quantile(r.latencies, 0.99).toFixed(2)} ms`,
  );

// --- the real server ---
// SERVER_URL measures a server started elsewhere (for example under --cpu-prof).
const server = process.env.SERVER_URL
  ? { url: process.env.SERVER_URL, stop: async () => undefined }
  : await startEntry('dist/server/server.cjs', [
      // Every simulated user signs up from this one address.
      '--new-identities-burst',
      '100000',
      '--port',
      '0',
      '--data-dir',
      tempDir('beseda-bench-srv-'),
      // Every bench connection comes from 127.0.0.1, and the fan-out rates exceed one user's.
      '--max-connections-per-address',
      '0',
      '--rate-limit-per-sec',
      '100000',
      '--rate-limit-burst',
      '100000',
      '--identity-rate-limit-per-sec',
      '100000',
      '--identity-rate-limit-burst',
      '100000',
    ]);
const t0 = performance.now();
const held = [];
for (let i = 0; i < CONNECTIONS; i += 100) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(100, CONNECTIONS - i) }, (_, j) =>
      signedIn(server.url, `user ${i + j}`),
    ),
  );
  held.push(...batch);
}
const connectSeconds = (performance.now() - t0) / 1000;
const health = await (
  await fetch(server.url.replace('ws://', 'http://').replace('/ws', '/healthz'))
).json();
console.log(
  `connections: ${health.connections} authenticated connections held by one server ` +
    `(opened and signed in within ${connectSeconds.toFixed(1)} s)`,
);
for (const s of held) s.close();

const members = [];
for (let i = 0; i < MEMBERS; i++) members.push(await signedIn(server.url, `member ${i}`));
const { room } = await ask(members[0], { t: 'room.create', name: 'fan-out' });
for (const m of members.slice(1)) await ask(m, { t: 'room.join', code: room.inviteCode });
const real = [];
let sentTotal = 0;
for (const rate of RATES)
  real.push(
    await measureFanout(
      rate,
      members,
      (_i, stamp) =>
        members[0].send(
          JSON.stringify({
            t: 'msg.send',
            rid: nextRid(),
            roomId: room.id,
            clientId: `bench-${String(sentTotal++).padStart(8, '0')}`,
            body: `${stamp}`,
          }),
        ),
      stampOf,
    ),
  );
for (const m of members) m.close();
await server.stop();

// --- baseline: bare ws broadcast, its own process like the server ---
const baselineProc = spawn(
  process.execPath,
  [
    '-e',
    `const { WebSocketServer } = require('ws');
   const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
   wss.on('listening', () => console.log('ws://127.0.0.1:' + wss.address().port));
   wss.on('connection', (s) => s.on('message', (d) => { const t = d.toString(); for (const c of wss.clients) c.send(t); }));`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
);
const baseUrl = await new Promise((resolve) =>
  baselineProc.stdout.once('data', (d) => resolve(d.toString().trim())),
);
const plain = await Promise.all(Array.from({ length: MEMBERS }, () => open(baseUrl)));
const base = [];
for (const rate of RATES)
  base.push(
    await measureFanout(
      rate,
      plain,
      (_i, stamp) => plain[0].send(JSON.stringify({ t: 'msg', body: `${stamp}` })),
      stampOf,
    ),
  );
for (const s of plain) s.close();
baselineProc.kill();

RATES.forEach((rate, i) => {
  console.log(`fan-out: ${MEMBERS}-member room, ${rate} messages/s for ${SECONDS} s`);
  report('server', real[i]);
  report('bare ws', base[i]);
  const ratio = (q) => quantile(real[i].latencies, q) / quantile(base[i].latencies, q);
  console.log(`ratio server/bare: p50 ${ratio(0.5).toFixed(1)}x, p99 ${ratio(0.99).toFixed(1)}x`);
});
process.exit(0);
