/**
 * Moves blobs between this computer and the server over HTTP (see docs/protocol.md, Files):
 * uploads in pieces from wherever the server says it is, downloads with a byte range from what
 * is already here. Either can be cancelled; both pick up where they stopped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { UPLOAD_CHUNK_BYTES } from '../../../src-shared/protocol/limits';

export interface HttpAccess {
  origin: string;
  token: string;
  tls: { ca?: string; checkServerIdentity?: () => undefined };
}

/** A refusal from the server, in its words (`code` as in the protocol), or a lost connection. */
export class TransferError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

export class TransferCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** One keep-alive agent per server and trust: pieces reuse the TLS connection. */
const agents = new Map<string, http.Agent>();
function agentFor(access: HttpAccess): http.Agent {
  const key = `${access.origin} ${access.tls.ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = access.origin.startsWith('https:')
      ? new https.Agent({ keepAlive: true, maxSockets: 4, ...access.tls })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
    agents.set(key, agent);
  }
  return agent;
}

/** A JSON answer with its status (a body that is not JSON reads as {}: the status says enough). */
function readReply(res: http.IncomingMessage): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // not JSON
      }
      resolve({ status: res.statusCode ?? 0, body });
    });
  });
}

function request(
  access: HttpAccess,
  method: string,
  route: string,
  headers: Record<string, string | number>,
  body: Buffer | string | fs.ReadStream | null,
  signal: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(route, access.origin);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method,
        headers: { Authorization: `Bearer ${access.token}`, ...headers },
        signal,
        agent: agentFor(access),
      },
      (res) => readReply(res).then(resolve, reject),
    );
    req.on('error', (error) =>
      reject(
        signal.aborted ? new TransferCancelled() : new TransferError('offline', error.message),
      ),
    );
    if (body instanceof fs.ReadStream) {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    } else req.end(body ?? undefined);
  });
}

function refusal(reply: Reply): TransferError {
  return new TransferError(
    String(reply.body.error ?? 'internal'),
    String(reply.body.message ?? `the server answered ${reply.status}`),
    reply.status,
  );
}

/**
 * Uploads `file` (its SHA-256 and size known) for a message of `roomId`, from where the server
 * says it is. `onSent` hears of each piece the server took (also when a later one fails).
 */
export async function uploadBlob(
  access: HttpAccess,
  blob: { sha256: string; size: number; file: string },
  roomId: string,
  onProgress: (done: number) => void,
  signal: AbortSignal,
  onSent: (bytes: number) => void,
): Promise<void> {
  const started = await request(
    access,
    'POST',
    '/files/uploads',
    { 'Content-Type': 'application/json' },
    JSON.stringify({ roomId, sha256: blob.sha256, size: blob.size }),
    signal,
  );
  if (started.status !== 200) throw refusal(started);
  let offset = Number(started.body.offset);
  onProgress(offset);
  if (started.body.complete) return;
  while (offset < blob.size) {
    if (signal.aborted) throw new TransferCancelled();
    const length = Math.min(UPLOAD_CHUNK_BYTES, blob.size - offset);
    // Streamed from the file: no copy of the piece in memory.
    const piece = fs.createReadStream(blob.file, { start: offset, end: offset + length - 1 });
    const reply = await request(
      access,
      'PATCH',
      `/files/uploads/${blob.sha256}`,
      {
        'Content-Type': 'application/octet-stream',
        'Content-Length': length,
        'Upload-Offset': offset,
        'Upload-Length': blob.size,
      },
      piece,
      signal,
    );
    if (reply.status === 409 && typeof reply.body.offset === 'number') {
      offset = reply.body.offset; // the server has more (or less) than we thought
      continue;
    }
    if (reply.status !== 200) throw refusal(reply);
    onSent(length);
    offset = Number(reply.body.offset);
    onProgress(offset);
    if (reply.body.complete) break;
  }
}

/**
 * Downloads a room's blob into `partial` (appending to what is there). Resolves with how many
 * bytes this call fetched, and the SHA-256 of the whole file when it was fetched in one go.
 */
export function downloadBlob(
  access: HttpAccess,
  sha256: string,
  roomId: string,
  partial: string,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<{ fetched: number; sha256: string | null }> {
  return new Promise((resolve, reject) => {
    const have = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
    const url = new URL(`/files/${sha256}?room=${encodeURIComponent(roomId)}`, access.origin);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.get(
      url,
      {
        headers: {
          Authorization: `Bearer ${access.token}`,
          ...(have ? { Range: `bytes=${have}-` } : {}),
        },
        signal,
        agent: agentFor(access),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200 && status !== 206) {
          readReply(res).then((reply) => reject(refusal(reply)), reject);
          return;
        }
        // A full answer to a range request starts over.
        const start = status === 206 ? have : 0;
        const total = start + Number(res.headers['content-length'] ?? 0);
        const out = fs.createWriteStream(partial, { flags: status === 206 ? 'a' : 'w' });
        let done = start;
        let fetched = 0;
        // Hashed on the way in when it starts at 0 (a resumed one is hashed from the disk).
        const hash = start === 0 ? crypto.createHash('sha256') : null;
        res.on('data', (c: Buffer) => {
          done += c.length;
          fetched += c.length;
          hash?.update(c);
          onProgress(done, total);
        });
        res.pipe(out);
        out.on('finish', () =>
          resolve({ fetched, sha256: hash && done === total ? hash.digest('hex') : null }),
        );
        const fail = (error: Error) =>
          reject(
            signal.aborted ? new TransferCancelled() : new TransferError('offline', error.message),
          );
        res.on('error', fail);
        out.on('error', fail);
        res.on('aborted', () => fail(new Error('the download was cut off')));
      },
    );
    req.on('error', (error) =>
      reject(
        signal.aborted ? new TransferCancelled() : new TransferError('offline', error.message),
      ),
    );
  });
}
