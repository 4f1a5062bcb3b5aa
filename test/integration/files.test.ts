/**
 * Files between two apps (real services, real SQLite) through a real server process: an image
 * loses its metadata and gets a thumbnail before it leaves, a big file's upload survives the
 * server being SIGKILLed in the middle and resumes instead of starting over, a file over the
 * server's limit is refused in words, and what arrives goes to the media cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startServices, type Services } from '../../src-main/services/container';
import { silentLogger } from '../../src-shared/log';
import { MAX_STAGE_CHUNK_BASE64 } from '../../src-shared/ipc/chat-types';
import type { LocalMessage } from '../../src-shared/ipc/chat-types';
import { appClient, waitReady, type AppCall } from '../support/app-client';
import { startServer, type ChildService } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/ws-client';

const sha = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const PIECE = (MAX_STAGE_CHUNK_BASE64 / 4) * 3;

/** Attaches `bytes` as the renderer does: announced, sent in pieces, then sent as a message. */
async function sendFile(
  call: AppCall,
  roomId: string,
  name: string,
  bytes: Buffer,
  body = '',
): Promise<LocalMessage> {
  const { stageId } = await call('files.stageStart', { name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += PIECE)
    await call('files.stageChunk', {
      stageId,
      offset,
      data: bytes.subarray(offset, offset + PIECE).toString('base64'),
    });
  return call('messages.sendFiles', { roomId, stageIds: [stageId], body });
}

describe('files between two apps', () => {
  const temp = makeTempDir();
  const serverDir = path.join(temp.dir, 'server');
  let server: ChildService;
  let port: string;
  let alice: Services;
  let bob: Services;
  let a: AppCall;
  let b: AppCall;
  let roomId: string;

  const startApp = (name: string) =>
    startServices({
      dataDir: path.join(temp.dir, name),
      platform: createNodePlatform(),
      logger: silentLogger,
      host: 'web',
      serverUrlOverride: server.url,
    });
  const messageAt = async (call: AppCall, clientId: string) =>
    (await call('messages.page', { roomId, limit: 50 })).messages.find(
      (m) => m.clientId === clientId,
    );

  beforeAll(async () => {
    server = await startServer(serverDir, ['--max-file-bytes', String(60 * 1024 * 1024)]);
    port = new URL(server.url).port;
    alice = await startApp('alice');
    bob = await startApp('bob');
    a = appClient(alice);
    b = appClient(bob);
    await a('identity.create', { displayName: 'Alice' });
    await b('identity.create', { displayName: 'Bob' });
    await Promise.all([waitReady(alice, 20_000), waitReady(bob, 20_000)]);
    const room = await a('rooms.create', { name: 'Files' });
    roomId = room.id;
    await b('rooms.join', { code: room.inviteCode! });
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await server?.stop();
    temp.cleanup();
  });

  it('sends a photo without its location, with a thumbnail, into the receiver’s media cache', async () => {
    // A 12-megapixel photo with a GPS block, as a phone would take it.
    const photo = await sharp({
      create: { width: 4000, height: 3000, channels: 3, background: { r: 40, g: 120, b: 200 } },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Phone 9' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 0/1' },
      })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif?.includes(Buffer.from('GPS'))).toBeFalsy();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const sent = await sendFile(a, roomId, 'IMG_0001.JPG', photo, 'The view');
    expect(sent.state).toBe('pending');
    const [file] = sent.files;
    expect(file).toMatchObject({
      name: 'IMG_0001.JPG',
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
    });
    expect(file!.thumb).toMatch(/^[0-9a-f]{64}$/);
    await waitFor(
      async () => (await messageAt(a, sent.clientId))?.state === 'sent',
      20_000,
      'sent',
    );

    const arrived = (await waitFor(() => messageAt(b, sent.clientId), 20_000, 'arrived at Bob'))!;
    expect(arrived.body).toBe('The view');
    expect(arrived.files[0]).toMatchObject({
      sha256: file!.sha256,
      mime: 'image/jpeg',
      local: false,
    });
    await b('files.fetch', { roomId, sha256: file!.thumb! });
    await b('files.fetch', { roomId, sha256: file!.sha256 });
    expect((await messageAt(b, sent.clientId))!.files[0]).toMatchObject({
      local: true,
      thumbLocal: true,
    });

    const received = fs.readFileSync(bob.media.blobPath(file!.sha256));
    expect(sha(received)).toBe(file!.sha256);
    const meta = await sharp(received).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([4000, 3000]);
    const thumb = await sharp(bob.media.blobPath(file!.thumb!)).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(480);

    // The media cache counts it (the sender's copy no longer pinned once uploaded).
    const media = (await b('storage.usage')).find((u) => u.category === 'media')!;
    expect(media.entries).toBe(2);
    expect(media.bytes).toBeGreaterThanOrEqual(received.length);
    const mine = (await a('storage.usage')).find((u) => u.category === 'media')!;
    expect(mine.pinnedBytes).toBe(0);
  });

  it('resumes a 50 MB upload after the server is SIGKILLed in the middle; the bytes arrive intact', async () => {
    const big = crypto.randomBytes(50 * 1024 * 1024);
    const start = alice.media.counters.bytesUploaded;
    // The server dies the moment a third of the file is there (loopback is too quick to wait).
    let killedAt = 0;
    const off = alice.events.subscribe((name, payload) => {
      if (name !== 'files.progress' || killedAt) return;
      const progress = payload as { direction: string; done: number };
      if (progress.direction === 'up' && progress.done >= 16 * 1024 * 1024) {
        killedAt = progress.done;
        server.process.kill('SIGKILL');
      }
    });
    const sent = await sendFile(a, roomId, 'dataset.bin', big);
    expect(sent.files[0]!.sha256).toBe(sha(big));
    await waitFor(() => killedAt > 0, 30_000, 'a third uploaded');
    off();
    await server.stop('SIGKILL');
    const before = alice.media.counters.bytesUploaded - start;
    expect(before).toBeLessThan(big.length);
    server = await startServer(serverDir, [
      '--port',
      port,
      '--max-file-bytes',
      String(60 * 1024 * 1024),
    ]);
    await waitFor(
      async () => (await messageAt(a, sent.clientId))?.state === 'sent',
      60_000,
      'sent',
    );
    // Sent once, plus at most the piece that was on the wire when the server died.
    const total = alice.media.counters.bytesUploaded - start;
    expect(total).toBeLessThanOrEqual(big.length + 8 * 1024 * 1024);
    console.log(
      `resumed upload: ${(total / 1024 / 1024).toFixed(1)} MiB sent for a 50 MiB file ` +
        `(${(before / 1024 / 1024).toFixed(1)} MiB before the kill, at ${(killedAt / 1024 / 1024).toFixed(1)} MiB)`,
    );

    const arrived = (await waitFor(() => messageAt(b, sent.clientId), 20_000, 'arrived at Bob'))!;
    expect(arrived.files[0]!.sha256).toBe(sha(big));
    await b('files.fetch', { roomId, sha256: sha(big) });
    expect(sha(fs.readFileSync(bob.media.blobPath(sha(big))))).toBe(sha(big));
  });

  it('refuses a file over the server’s limit in words, before sending it', async () => {
    const uploadedBefore = alice.media.counters.bytesUploaded;
    const tooBig = crypto.randomBytes(61 * 1024 * 1024);
    const sent = await sendFile(a, roomId, 'huge.bin', tooBig);
    const failed = await waitFor(
      async () => {
        const m = await messageAt(a, sent.clientId);
        return m?.state === 'failed' ? m : null;
      },
      20_000,
      'refused',
    );
    expect(failed!.failure).toBe('The file is 61 MB; this server takes files up to 60 MB.');
    expect(alice.media.counters.bytesUploaded).toBe(uploadedBefore);
  });

  it('never opens a program from the chat, whatever its name says', async () => {
    const program = fs.readFileSync(process.execPath).subarray(0, 64 * 1024);
    const sent = await sendFile(a, roomId, 'holiday.pdf', program);
    await waitFor(
      async () => (await messageAt(a, sent.clientId))?.state === 'sent',
      20_000,
      'sent',
    );
    const sha256 = sent.files[0]!.sha256;
    await b('files.fetch', { roomId, sha256 });
    await expect(b('files.open', { sha256, name: 'holiday.pdf' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(b('files.open', { sha256, name: 'run.sh' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // A document opens where the host can (the browser host cannot: it answers false).
    const doc = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const letter = await sendFile(a, roomId, 'letter.pdf', doc);
    await waitFor(
      async () => (await messageAt(a, letter.clientId))?.state === 'sent',
      20_000,
      'sent',
    );
    await b('files.fetch', { roomId, sha256: letter.files[0]!.sha256 });
    expect(await b('files.open', { sha256: letter.files[0]!.sha256, name: 'letter.pdf' })).toBe(
      false,
    );
  });
});
