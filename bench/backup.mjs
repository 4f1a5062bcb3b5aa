// Online backup and restore of a large local store, with the app still writing.
// 1. Fill a store with 1,000,000 messages (the app's MessageStore, FTS included).
// 2. Writers add 1,000 messages a second (one transaction each, as messages.send does) for
//    WINDOW seconds without a backup: the baseline. Latency = completion - the write's due time,
//    so a write held up by anything on the event loop counts the wait.
// 3. The same writers while BackupService.backUp runs (online copy step by step, gzip, seal,
//    verify in a worker): backup time and the writers' p50/p99 against the baseline.
// 4. BackupService.restore of that backup into the live store: restore time by phase.
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { fmt, loadModule, makeBody, median, quantile, seeded, tempDir } from './lib.mjs';

const COUNT = Number(process.env.COUNT ?? 1_000_000);
const RATE = Number(process.env.RATE ?? 1000);
const WINDOW_S = Number(process.env.WINDOW ?? 10);
const ROOMS = 20;

const { openLocalDatabase } = await loadModule('src-main/services/storage/database.ts');
const { MessageStore } = await loadModule('src-main/services/storage/message-store.ts');
const { BackupService } = await loadModule('src-main/services/backups/backup-service.ts');
const { silentLogger } = await loadModule('src-shared/log.ts');

const dir = tempDir('beseda-bench-backup-');
const database = openLocalDatabase(path.join(dir, 'beseda.db'));
const store = new MessageStore(database.db, () => ({
  userId: `u_${'a'.repeat(32)}`,
  displayName: 'Bench',
}));
const roomId = (i) => `r_${String(i).padStart(24, '0')}`;
for (let r = 0; r < ROOMS; r++)
  store.upsertRoom({
    id: roomId(r),
    name: `Room ${r}`,
    kind: 'group',
    members: [],
    lastSeq: 0,
    inviteCode: null,
  });

let t = Date.now();
const random = seeded(7);
const perRoom = new Array(ROOMS).fill(0);
for (let start = 0; start < COUNT; start += 5000) {
  const batch = [];
  for (let i = start; i < Math.min(COUNT, start + 5000); i++) {
    const room = i % ROOMS;
    batch.push({
      roomId: roomId(room),
      seq: ++perRoom[room],
      clientId: `c${String(i).padStart(10, '0')}`,
      senderId: `u_${'b'.repeat(32)}`,
      senderName: 'Other',
      body: makeBody(random),
      at: 1_700_000_000_000 + i,
    });
  }
  store.storeIncoming(batch);
}
database.db.pragma('wal_checkpoint(TRUNCATE)');
const sizes = database.sizes();
console.log(
  `store: ${COUNT.toLocaleString('en')} messages, ${(sizes.fileBytes / 1048576).toFixed(0)} MB, filled in ${((Date.now() - t) / 1000).toFixed(1)} s`,
);

const key = crypto.randomBytes(32);
const backups = new BackupService({
  dir: path.join(dir, 'backups'),
  database: () => database,
  backupKey: () => key,
  logger: silentLogger,
});

/** Latencies of the writes during the backup, by the phase it was in. */
const byPhase = {};
let currentPhase = null;
backups.onChange((status) => (currentPhase = status.running?.phase ?? null));

/** Writes at RATE per second until `until()` says stop; returns each write's latency. */
async function writers(until) {
  const latencies = [];
  const started = performance.now();
  const interval = 1000 / RATE;
  let n = 0;
  while (!until()) {
    const due = started + n * interval;
    const wait = due - performance.now();
    // Always yield: the backup runs on this event loop between the writes, as in the app.
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    // Writes that fell behind run back to back; each still counts from its due time.
    const now = performance.now();
    while (started + n * interval <= now && !until()) {
      const due2 = started + n * interval;
      store.addPending(roomId(n % ROOMS), `write ${n}`);
      const latency = performance.now() - due2;
      latencies.push(latency);
      if (currentPhase) (byPhase[currentPhase] ??= []).push(latency);
      n++;
    }
  }
  return latencies;
}

const stopAfter = (ms) => {
  const end = performance.now() + ms;
  return () => performance.now() >= end;
};

const baseline = await writers(stopAfter(WINDOW_S * 1000));
let done = false;
t = performance.now();
// The worker's memory is this process's: the peak RSS during the backup tells its cost.
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
const backupPromise = backups.backUp('manual').finally(() => {
  done = true;
  clearInterval(rssTimer);
});
const during = await writers(() => done);
const backupMs = performance.now() - t;
const backup = await backupPromise;

const row = (label, values) =>
  console.log(
    `${label.padEnd(22)} writes ${String(values.length).padStart(6)}  p50 ${fmt(median(values)).padStart(9)}  p99 ${fmt(quantile(values, 0.99)).padStart(9)}  max ${fmt(Math.max(...values)).padStart(9)}`,
  );
console.log(`\nwriters at ${RATE}/s (latency from each write's due time):`);
row('without backup', baseline);
row('during backup', during);
const ratio = quantile(during, 0.99) / quantile(baseline, 0.99);
for (const [phase, values] of Object.entries(byPhase)) row(`  while ${phase}`, values);
console.log(`p99 ratio during/without: ${ratio.toFixed(2)}x (goal: within 1.20x)`);
console.log(
  `backup: ${(backupMs / 1000).toFixed(1)} s, ${(backup.databaseBytes / 1048576).toFixed(0)} MB database -> ${(backup.bytes / 1048576).toFixed(0)} MB sealed, ${backup.messages.toLocaleString('en')} messages, state ${backup.state}`,
);
console.log(
  `process RSS: ${(rssBefore / 1048576).toFixed(0)} MB before, peak ${(rssPeak / 1048576).toFixed(0)} MB during the backup`,
);

// Restore the same backup into the live store, phase by phase.
const phases = {};
let phase = null;
let phaseStart = performance.now();
backups.onChange((status) => {
  const next = status.running?.phase ?? null;
  if (next === phase) return;
  const now = performance.now();
  if (phase) phases[phase] = (phases[phase] ?? 0) + (now - phaseStart);
  phase = next;
  phaseStart = now;
});
t = performance.now();
await backups.restore({ id: backup.id });
const restoreMs = performance.now() - t;
const count = database.db.prepare('SELECT count(*) AS n FROM messages').get().n;
console.log(
  `\nrestore: ${(restoreMs / 1000).toFixed(1)} s (goal: under 10 s); ${Object.entries(phases)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(', ')}; ${count.toLocaleString('en')} messages after`,
);
database.close();
fs.rmSync(dir, { recursive: true, force: true });
