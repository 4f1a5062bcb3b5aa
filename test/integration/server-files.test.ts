/**
 * Files at the server: uploads in pieces that resume where they stopped, a size limit said in
 * words before any byte, the hash checked, the type found in the content, and downloads only for
 * members of a room whose messages carry the file (knowing a hash gets nobody anything).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { UPLOAD_CHUNK_BYTES } from '../../src-shared/protocol/limits';
import { ask, signedIn, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

const sha = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

describe('files at the server', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  const limit = 24 * 1024 * 1024;
  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server'), maxFileBytes: limit },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  const http = (token: string | null, route: string, init: RequestInit = {}) =>
    fetch(`${server.httpUrl}${route}`, {
      ...init,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
  const start = (token: string, body: unknown) =>
    http(token, '/files/uploads', { method: 'POST', body: JSON.stringify(body) });
  const piece = (token: string, bytes: Buffer, offset: number, length = UPLOAD_CHUNK_BYTES) =>
    http(token, `/files/uploads/${sha(bytes)}`, {
      method: 'PATCH',
      headers: { 'Upload-Offset': String(offset), 'Upload-Length': String(bytes.length) },
      body: bytes.subarray(offset, offset + length),
    });

  it('takes a file in pieces, resumes after an interruption, and serves it only to the room', async () => {
    const anna = await signedIn(server.url, 'Anna');
    const boris = await signedIn(server.url, 'Boris');
    const carl = await signedIn(server.url, 'Carl');
    const create = async (who: typeof anna, name: string) =>
      (
        (await ask(who.client, { t: 'room.create', name })) as Frame & {
          room: { id: string; inviteCode: string };
        }
      ).room;
    const room = await create(anna, 'Files');
    const carlsRoom = await create(carl, 'Elsewhere');
    await ask(boris.client, { t: 'room.join', code: room.inviteCode });

    // Not signed in: nothing.
    expect((await http(null, '/files/uploads', { method: 'POST', body: '{}' })).status).toBe(401);

    // Too big: refused in words before a byte is sent.
    const tooBig = await start(anna.token, {
      roomId: room.id,
      sha256: 'a'.repeat(64),
      size: limit + 1,
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({
      error: 'file_too_large',
      message: 'The file is 24 MB; this server takes files up to 24 MB.',
      limit,
    });

    // An executable named like a document: 20 MB in three pieces, interrupted after the first.
    const elf = fs.readFileSync(process.execPath).subarray(0, 20 * 1024 * 1024);
    const hash = sha(elf);
    const begin = { roomId: room.id, sha256: hash, size: elf.length };
    expect(await (await start(anna.token, begin)).json()).toEqual({ offset: 0, complete: false });
    expect(await (await piece(anna.token, elf, 0)).json()).toEqual({
      offset: UPLOAD_CHUNK_BYTES,
      complete: false,
    });
    // Asked again (after a restart, say): it goes on from where it stopped.
    expect(await (await start(anna.token, begin)).json()).toEqual({
      offset: UPLOAD_CHUNK_BYTES,
      complete: false,
    });
    const wrong = await piece(anna.token, elf, 0);
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toMatchObject({ error: 'wrong_offset', offset: UPLOAD_CHUNK_BYTES });
    await piece(anna.token, elf, UPLOAD_CHUNK_BYTES);
    expect(await (await piece(anna.token, elf, 2 * UPLOAD_CHUNK_BYTES)).json()).toEqual({
      offset: elf.length,
      complete: true,
    });

    // Sent with a message: the type is the content's, not the name's or the sender's say.
    const file = { sha256: hash, name: 'report.pdf', size: 1, mime: 'application/pdf' };
    const ack = await ask(anna.client, {
      t: 'msg.send',
      roomId: room.id,
      clientId: 'file-message-1',
      body: '',
      files: [file],
    });
    expect(ack).toMatchObject({ t: 'ack', seq: 1 });
    const pushed = await boris.client.next<Frame & { message: { files: unknown[] } }>(
      (f) => f.t === 'msg',
    );
    expect(pushed.message.files).toEqual([
      { sha256: hash, name: 'report.pdf', size: elf.length, mime: 'application/x-elf' },
    ]);

    // Boris, a member, gets the same bytes, as an attachment the browser must not sniff; a
    // download that stopped goes on with a range.
    const got = await http(boris.token, `/files/${hash}?room=${room.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe('attachment');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('x-content-type')).toBe('application/x-elf');
    expect(sha(Buffer.from(await got.arrayBuffer()))).toBe(hash);
    const rest = await http(boris.token, `/files/${hash}?room=${room.id}`, {
      headers: { Range: 'bytes=1000-' },
    });
    expect(rest.status).toBe(206);
    expect(Buffer.from(await rest.arrayBuffer()).equals(elf.subarray(1000))).toBe(true);

    // Carl knows the hash: he cannot fetch it through Anna's room or his own, nor attach it, and
    // starting an "upload" of it does not hand it to him: he would have to send every byte.
    expect((await http(carl.token, `/files/${hash}?room=${room.id}`)).status).toBe(404);
    expect((await http(carl.token, `/files/${hash}?room=${carlsRoom.id}`)).status).toBe(404);
    expect((await http(carl.token, `/files/${hash}`)).status).toBe(404);
    expect(
      await ask(carl.client, {
        t: 'msg.send',
        roomId: carlsRoom.id,
        clientId: 'carl-steals-1',
        body: '',
        files: [file],
      }),
    ).toMatchObject({ t: 'error', code: 'no_such_file' });
    expect(
      await (
        await start(carl.token, { roomId: carlsRoom.id, sha256: hash, size: elf.length })
      ).json(),
    ).toEqual({ offset: 0, complete: false });
    expect((await start(carl.token, { roomId: room.id, sha256: hash, size: 5 })).status).toBe(403);

    // Deleted for everyone: the file goes with the message; nobody in the room can fetch it.
    expect(
      await ask(anna.client, {
        t: 'msg.send',
        roomId: room.id,
        clientId: 'file-message-1-deleted',
        body: '',
        kind: 'delete',
        target: 'file-message-1',
      }),
    ).toMatchObject({ t: 'ack' });
    expect((await http(boris.token, `/files/${hash}?room=${room.id}`)).status).toBe(404);

    // Bytes that do not match the hash are thrown away.
    const fake = Buffer.from('not what the hash says');
    const fakeHash = 'b'.repeat(64);
    await start(anna.token, { roomId: room.id, sha256: fakeHash, size: fake.length });
    const mismatch = await http(anna.token, `/files/uploads/${fakeHash}`, {
      method: 'PATCH',
      headers: { 'Upload-Offset': '0', 'Upload-Length': String(fake.length) },
      body: fake,
    });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.json()).toMatchObject({ error: 'hash_mismatch' });
  });
});
