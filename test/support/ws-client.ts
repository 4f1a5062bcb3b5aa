/** A raw WebSocket client for tests that speak frames directly to the server or the bridge. */
import WebSocket from 'ws';

export interface FrameClient {
  socket: WebSocket;
  send(frame: unknown): void;
  sendText(text: string): void;
  /** The next frame (parsed JSON) that satisfies `match`, waiting up to `timeoutMs`. */
  next<T = Record<string, unknown>>(match?: (frame: T) => boolean, timeoutMs?: number): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function connectFrames(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<FrameClient> {
  const socket = new WebSocket(url, options);
  const queue: unknown[] = [];
  const waiters: { match: (f: unknown) => boolean; resolve(f: unknown): void }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const index = waiters.findIndex((w) => w.match(frame));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return {
    socket,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendText: (text) => socket.send(text),
    next<T>(match: (frame: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
      const index = queue.findIndex((f) => match(f as T));
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          match: (f: unknown) => match(f as T),
          resolve: (f: unknown) => {
            clearTimeout(timer);
            resolve(f as T);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(`no matching frame within ${timeoutMs} ms; queued: ${JSON.stringify(queue)}`),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    closed,
    close: () => socket.close(),
  };
}

/** Polls `probe` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
