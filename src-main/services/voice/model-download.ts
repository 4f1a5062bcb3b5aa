/**
 * A resumable HTTP(S) download into a `.part` file: an interrupted download continues where it
 * stopped (Range request) the next time, and the SHA-256 of the whole file is returned once it
 * is complete, for the caller to compare with the published one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Stop waiting for bytes after this long without any (default 30 s). */
  idleTimeoutMs?: number;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

function get(url: string, headers: Record<string, string>, signal?: AbortSignal) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { headers, signal }, resolve);
    request.on('error', reject);
  });
}

export async function downloadResumable(
  url: string,
  partFile: string,
  options: DownloadOptions = {},
): Promise<{ sha256: string; sizeBytes: number }> {
  let target = url;
  for (let redirects = 0; ; redirects++) {
    const have = fs.existsSync(partFile) ? fs.statSync(partFile).size : 0;
    let response: http.IncomingMessage;
    try {
      response = await get(target, have > 0 ? { Range: `bytes=${have}-` } : {}, options.signal);
    } catch (error) {
      throw new DownloadError(
        `cannot reach ${new URL(target).host}: ${(error as Error).message}`,
        true,
      );
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (redirects >= 5) throw new DownloadError('too many redirects', false);
      target = new URL(response.headers.location, target).toString();
      continue;
    }
    if (status === 416 && have > 0) {
      // The part file is already whole (or longer than the file): verify what we have.
      response.resume();
      break;
    }
    if (status !== 200 && status !== 206) {
      response.resume();
      throw new DownloadError(`the server answered ${status}`, status >= 500);
    }
    const resumed = status === 206;
    const offset = resumed ? have : 0;
    const length = Number(response.headers['content-length']);
    const totalBytes = Number.isFinite(length) ? offset + length : null;
    let received = offset;
    options.onProgress?.({ receivedBytes: received, totalBytes });
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(partFile, { flags: resumed ? 'a' : 'w' });
      const idle = options.idleTimeoutMs ?? 30_000;
      let timer = setTimeout(() => response.destroy(new Error('no data for too long')), idle);
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        clearTimeout(timer);
        timer = setTimeout(() => response.destroy(new Error('no data for too long')), idle);
        options.onProgress?.({ receivedBytes: received, totalBytes });
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        out.end(() => reject(new DownloadError(`download interrupted: ${error.message}`, true)));
      };
      response.on('error', fail);
      response.on('aborted', () => fail(new Error('connection closed')));
      out.on('error', (error) => reject(new DownloadError(error.message, false)));
      out.on('finish', () => {
        clearTimeout(timer);
        if (totalBytes !== null && received < totalBytes)
          reject(new DownloadError('download interrupted: connection closed early', true));
        else resolve();
      });
      response.pipe(out);
    });
    break;
  }
  const hash = crypto.createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(partFile)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return { sha256: hash.digest('hex'), sizeBytes: fs.statSync(partFile).size };
}
