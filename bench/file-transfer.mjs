// Files: upload and download throughput of a 200 MB file through the app (staged, hashed,
// uploaded in 8 MiB pieces to the server process over TLS, the hash checked there; downloaded
// by another app into its media cache, the hash checked again), against the plainest HTTPS copy
// of the same bytes in the same run; and the time from sending a 12-megapixel photo to its
// thumbnail being on the receiver's disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { callService as call, loadModule, median, startEntry, tempDir, until } from './lib.mjs';

const MB = Number(process.env.MB ?? 200);
const RUNS = Number(process.env.RUNS ?? 3);

const { startServices } = await loadModule('src-main/services/container.ts');
const { createNodePlatform } = await loadModule('src-main/platform/node-platform.ts');
const { silentLogger } = await loadModule('src-shared/log.ts');

const dir = tempDir('beseda-bench-files-');
const server = await startEntry('dist/server/server.cjs', [
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'server'),
  '--max-file-bytes',
  String((MB + 10) * 1024 * 1024),
]);
const app = (name) =>
  startServices({
    dataDir: path.join(dir, name),
    platform: createNodePlatform(),
    logger: silentLogger,
    host: 'web',
    serverUrlOverride: server.url,
  });
const alice = await app('alice');
const bob = await app('bob');
await call(alice, 'identity.create', { displayName: 'Alice' });
await call(bob, 'identity.create', { displayName: 'Bob' });
await until(() => alice.sync.status().phase === 'ready', 20_000, 'Alice signed in');
await until(() => bob.sync.status().phase === 'ready', 20_000, 'Bob signed in');
const room = await call(alice, 'rooms.create', { name: 'Bench' });
await call(bob, 'rooms.join', { code: room.inviteCode });

const copy = await startEntry('bench/plain-copy-server.mjs', [
  path.join(dir, 'server', 'tls-cert.pem'),
  path.join(dir, 'server', 'tls-key.pem'),
  dir,
]);
const agent = new https.Agent({ rejectUnauthorized: false });

/** Stages bytes in main as the renderer would, without the IPC's base64 (not what is measured). */
function stage(services, name, bytes) {
  const { stageId } = services.media.stageStart({ name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += 8 * 1024 * 1024)
    services.media.stageChunk(stageId, offset, bytes.subarray(offset, offset + 8 * 1024 * 1024));
  return stageId;
}

async function messageAt(services, clientId) {
  const page = await call(services, 'messages.page', { roomId: room.id, limit: 20 });
  return page.messages.find((m) => m.clientId === clientId);
}

const mbps = (bytes, ms) => bytes / 1024 / 1024 / (ms / 1000);
const rows = { appUp: [], appDown: [], plainUp: [], plainDown: [] };
for (let run = 0; run < RUNS; run++) {
  const bytes = crypto.randomBytes(MB * 1024 * 1024);
  const source = path.join(dir, `source-${run}.bin`);
  fs.writeFileSync(source, bytes);
  const size = bytes.length;

  // Plain HTTPS: PUT the file, GET it back to disk.
  let t0 = performance.now();
  await new Promise((resolve, reject) => {
    const req = https.request(`${copy.url}copy`, { method: 'PUT', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    fs.createReadStream(source).pipe(req);
  });
  rows.plainUp.push(mbps(size, performance.now() - t0));
  t0 = performance.now();
  await new Promise((resolve, reject) => {
    https
      .get(`${copy.url}copy`, { agent }, (res) =>
        pipeline(res, fs.createWriteStream(path.join(dir, 'plain-down.bin'))).then(resolve, reject),
      )
      .on('error', reject);
  });
  rows.plainDown.push(mbps(size, performance.now() - t0));

  // The app: from "send" to acknowledged by the server (hashing and checks included).
  const stageId = stage(alice, `big-${run}.bin`, bytes);
  t0 = performance.now();
  const sent = await call(alice, 'messages.sendFiles', {
    roomId: room.id,
    stageIds: [stageId],
    body: '',
  });
  await until(
    async () => (await messageAt(alice, sent.clientId))?.state === 'sent',
    300_000,
    'sent',
  );
  rows.appUp.push(mbps(size, performance.now() - t0));
  await until(() => messageAt(bob, sent.clientId), 30_000, 'arrived');
  t0 = performance.now();
  await call(bob, 'files.fetch', { roomId: room.id, sha256: sent.files[0].sha256 });
  rows.appDown.push(mbps(size, performance.now() - t0));
  fs.rmSync(source);
  console.log(
    `run ${run + 1}: app up ${rows.appUp.at(-1).toFixed(0)} MB/s, down ${rows.appDown.at(-1).toFixed(0)} MB/s; ` +
      `plain HTTPS up ${rows.plainUp.at(-1).toFixed(0)} MB/s, down ${rows.plainDown.at(-1).toFixed(0)} MB/s`,
  );
}

// A 12-megapixel photo: from "send" at Alice to its thumbnail on Bob's disk.
const thumbs = [];
for (let run = 0; run < RUNS; run++) {
  const photo = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'Bench' }, IFD3: { GPSLatitudeRef: 'N' } })
    .toBuffer();
  const stageId = stage(alice, `photo-${run}.jpg`, photo);
  const t0 = performance.now();
  const sent = await call(alice, 'messages.sendFiles', {
    roomId: room.id,
    stageIds: [stageId],
    body: '',
  });
  await until(() => messageAt(bob, sent.clientId), 60_000, 'photo arrived');
  await call(bob, 'files.fetch', { roomId: room.id, sha256: sent.files[0].thumb });
  thumbs.push(performance.now() - t0);
  console.log(
    `photo ${run + 1}: ${(photo.length / 1024 / 1024).toFixed(1)} MB JPEG, thumbnail at the receiver after ${thumbs.at(-1).toFixed(0)} ms`,
  );
}

const ratio = (app, plain) => `${((median(app) / median(plain)) * 100).toFixed(0)}%`;
console.log('');
console.log(`${MB} MB file, ${RUNS} runs, medians (loopback, TLS on both):`);
console.log(
  `  upload:   app ${median(rows.appUp).toFixed(0)} MB/s, plain HTTPS ${median(rows.plainUp).toFixed(0)} MB/s: ${ratio(rows.appUp, rows.plainUp)} (goal at least 80%)`,
);
console.log(
  `  download: app ${median(rows.appDown).toFixed(0)} MB/s, plain HTTPS ${median(rows.plainDown).toFixed(0)} MB/s: ${ratio(rows.appDown, rows.plainDown)} (goal at least 80%)`,
);
console.log(
  `  12-megapixel photo, send to thumbnail at the receiver: median ${median(thumbs).toFixed(0)} ms`,
);

await alice.stop();
await bob.stop();
await copy.stop();
await server.stop();
fs.rmSync(dir, { recursive: true, force: true });
