// The local store against the seed design's IndexedDB, side by side in one run, same data:
// insert 100,000 messages (batches of 1,000, as a catch-up writes them), read the newest 50 of a
// room, and search the text. SQLite runs through the app's MessageStore on a real file; IndexedDB
// runs in Chromium (an index on [room, seq]; search is a cursor scan: it has no full-text index).
// Then full-text search over 1,000,000 messages: p95 of 200 queries.
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import {
  WORDS,
  fmt,
  launchChromium,
  loadModule,
  makeBody,
  median,
  quantile,
  seeded,
  tempDir,
} from './lib.mjs';

const COUNT = Number(process.env.COUNT ?? 100_000);
const BIG = Number(process.env.BIG ?? 1_000_000);
const ROOMS = 20;
const BATCH = 1000;
const REPEAT = 30;

const roomId = (i) => `r_${String(i).padStart(24, '0')}`;
function dataset(count, seed) {
  const random = seeded(seed);
  const perRoom = new Array(ROOMS).fill(0);
  return Array.from({ length: count }, (_, i) => {
    const room = i % ROOMS;
    return {
      roomId: roomId(room),
      seq: ++perRoom[room],
      clientId: `c${String(i).padStart(10, '0')}`,
      senderId: `u_${'b'.repeat(32)}`,
      // Every 1,000th message carries a word found nowhere else, for searches with few hits.
      body: i % 1000 === 0 ? `${makeBody(random)} уникум${i / 1000}` : makeBody(random),
      at: 1_700_000_000_000 + i,
    };
  });
}
const common = Array.from({ length: REPEAT }, (_, i) => WORDS[(i * 7) % WORDS.length]);
const rare = Array.from({ length: REPEAT }, (_, i) => `уникум${(i * 3) % (COUNT / 1000)}`);
const queries = [...common, ...rare];

const { openLocalDatabase } = await loadModule('src-main/services/storage/database.ts');
const { MessageStore } = await loadModule('src-main/services/storage/message-store.ts');

function sqliteStore(file) {
  const database = openLocalDatabase(file);
  const store = new MessageStore(database.db, () => ({
    userId: `u_${'a'.repeat(32)}`,
    displayName: 'Bench',
  }));
  for (let r = 0; r < ROOMS; r++)
    store.upsertRoom({
      id: roomId(r),
      name: `Room ${r}`,
      kind: 'group',
      inviteCode: null,
      lastSeq: 0,
      members: [],
    });
  return { database, store };
}

function summarise(insertMs, reads, searches, hits) {
  const half = searches.length / 2;
  return {
    insertMs,
    readMs: median(reads),
    commonMs: median(searches.slice(0, half)),
    rareMs: median(searches.slice(half)),
    hits: [median(hits.slice(0, half)), median(hits.slice(half))],
  };
}

function runSqlite(messages) {
  const dir = tempDir('beseda-bench-sqlite-');
  const { database, store } = sqliteStore(path.join(dir, 'bench.db'));
  const t0 = performance.now();
  for (let i = 0; i < messages.length; i += BATCH)
    store.storeIncoming(messages.slice(i, i + BATCH));
  const insertMs = performance.now() - t0;
  const reads = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const page = store.page(roomId(i % ROOMS), undefined, 50);
    reads.push(performance.now() - t);
    if (page.length !== 50) throw new Error('sqlite: short page');
  }
  const searches = [];
  const hits = [];
  for (const q of queries) {
    const t = performance.now();
    hits.push(store.search(q, 50).length);
    searches.push(performance.now() - t);
  }
  database.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return summarise(insertMs, reads, searches, hits);
}

async function runIndexedDb(messages) {
  const server = http.createServer((_req, res) => res.end('<!doctype html><title>bench</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.evaluate(
    async ({ messages, batch, rooms, queries }) => {
      const req = (r) =>
        new Promise((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      const open = indexedDB.open('bench', 1);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('messages', { keyPath: 'clientId' });
        store.createIndex('room_seq', ['roomId', 'seq'], { unique: true });
      };
      const db = await req(open);
      const done = (tx) =>
        new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      const t0 = performance.now();
      for (let i = 0; i < messages.length; i += batch) {
        const tx = db.transaction('messages', 'readwrite');
        const store = tx.objectStore('messages');
        for (const m of messages.slice(i, i + batch)) store.put(m);
        await done(tx);
      }
      const insertMs = performance.now() - t0;
      const reads = [];
      for (let i = 0; i < 30; i++) {
        const room = `r_${String(i % rooms).padStart(24, '0')}`;
        const t = performance.now();
        const tx = db.transaction('messages');
        const range = IDBKeyRange.bound([room, 0], [room, Infinity]);
        const cursorReq = tx.objectStore('messages').index('room_seq').openCursor(range, 'prev');
        const page = await new Promise((resolve) => {
          const out = [];
          cursorReq.onsuccess = () => {
            const c = cursorReq.result;
            if (!c || out.length === 50) return resolve(out.reverse());
            out.push(c.value);
            c.continue();
          };
        });
        reads.push(performance.now() - t);
        if (page.length !== 50) throw new Error('idb: short page');
      }
      const searches = [];
      const hits = [];
      for (const q of queries) {
        const t = performance.now();
        const needle = q.toLowerCase();
        const tx = db.transaction('messages');
        const cursorReq = tx.objectStore('messages').openCursor();
        const found = await new Promise((resolve) => {
          const out = [];
          cursorReq.onsuccess = () => {
            const c = cursorReq.result;
            if (!c || out.length === 50) return resolve(out);
            if (c.value.body.toLowerCase().includes(needle)) out.push(c.value);
            c.continue();
          };
        });
        searches.push(performance.now() - t);
        hits.push(found.length);
      }
      return { insertMs, reads, searches, hits };
    },
    { messages, batch: BATCH, rooms: ROOMS, queries },
  );
  await browser.close();
  server.close();
  return summarise(result.insertMs, result.reads, result.searches, result.hits);
}

const messages = dataset(COUNT, 1);
const sqlite = runSqlite(messages);
const idb = await runIndexedDb(messages);
const row = (name, a, b) =>
  console.log(
    `${name.padEnd(22)} sqlite ${fmt(a).padStart(12)}   indexeddb ${fmt(b).padStart(12)}   ${(b / a).toFixed(1)}x`,
  );
console.log(`local store, ${COUNT.toLocaleString('en')} messages in ${ROOMS} rooms`);
row(`insert ${COUNT}`, sqlite.insertMs, idb.insertMs);
row('newest 50 (median)', sqlite.readMs, idb.readMs);
row('search common word', sqlite.commonMs, idb.commonMs);
row('search rare word', sqlite.rareMs, idb.rareMs);
console.log(
  `(up to 50 hits; median hits common/rare: sqlite ${sqlite.hits.join('/')}, ` +
    `indexeddb ${idb.hits.join('/')}; sqlite returns the newest hits, the scan the oldest)`,
);

// FTS over a million messages.
const dir = tempDir('beseda-bench-big-');
const { database, store } = sqliteStore(path.join(dir, 'big.db'));
const big = dataset(BIG, 2);
const t0 = performance.now();
for (let i = 0; i < big.length; i += 5000) store.storeIncoming(big.slice(i, i + 5000));
const loadMs = performance.now() - t0;
const random = seeded(3);
const times = [];
for (let i = 0; i < 200; i++) {
  const a = WORDS[Math.floor(random() * WORDS.length)];
  const b = WORDS[Math.floor(random() * WORDS.length)];
  const q = i % 2 ? a : `${a} ${b}`;
  const t = performance.now();
  store.search(q, 50);
  times.push(performance.now() - t);
}
console.log(
  `fts over ${BIG.toLocaleString('en')} messages (loaded in ${(loadMs / 1000).toFixed(1)} s): ` +
    `median ${fmt(median(times))}, p95 ${fmt(quantile(times, 0.95))} (goal p95 < 30 ms)`,
);
database.close();
fs.rmSync(dir, { recursive: true, force: true });
