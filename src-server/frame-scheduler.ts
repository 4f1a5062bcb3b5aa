/**
 * Requests are handled in bounded slices instead of as they arrive. ws delivers every frame of a
 * TCP read at once, so a client that sends a thousand requests in one burst would otherwise have
 * all of them stored and fanned out before anyone else's request is looked at. Frames wait in a
 * queue per connection; a slice takes a few from each connection in turn (round robin) until its
 * time is up, then yields to the event loop (setImmediate). A connection whose queue grows past
 * its high-water mark is paused (TCP backpressure) until it drains.
 */
export interface SchedulerOptions {
  /** How long one slice may run before it yields. */
  sliceMs?: number;
  /** Frames taken from one connection before moving to the next. */
  perTurn?: number;
  /** Queued frames at which a connection is paused, and at which it resumes. */
  highWater?: number;
  lowWater?: number;
}

export interface ScheduledConnection {
  pause(): void;
  resume(): void;
}

interface Queue {
  frames: Array<{ data: string; isBinary: boolean }>;
  head: number;
  paused: boolean;
}

export class FrameScheduler<C extends ScheduledConnection> {
  private readonly queues = new Map<C, Queue>();
  /** Connections with frames waiting, in turn order. */
  private readonly turns: C[] = [];
  private scheduled = false;
  private readonly sliceMs: number;
  private readonly perTurn: number;
  private readonly highWater: number;
  private readonly lowWater: number;

  constructor(
    private readonly handle: (conn: C, data: string, isBinary: boolean) => void,
    options: SchedulerOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 8;
    this.perTurn = options.perTurn ?? 4;
    this.highWater = options.highWater ?? 256;
    this.lowWater = options.lowWater ?? 32;
  }

  enqueue(conn: C, data: string, isBinary: boolean): void {
    let queue = this.queues.get(conn);
    if (!queue) this.queues.set(conn, (queue = { frames: [], head: 0, paused: false }));
    if (queue.head === queue.frames.length) this.turns.push(conn);
    queue.frames.push({ data, isBinary });
    if (!queue.paused && queue.frames.length - queue.head >= this.highWater) {
      queue.paused = true;
      conn.pause();
    }
    this.schedule();
  }

  /** Frames still waiting for `conn`. */
  pending(conn: C): number {
    const queue = this.queues.get(conn);
    return queue ? queue.frames.length - queue.head : 0;
  }

  /** Drops what `conn` has waiting (it is closing) and forgets it. */
  forget(conn: C): void {
    this.queues.delete(conn);
    const index = this.turns.indexOf(conn);
    if (index >= 0) this.turns.splice(index, 1);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  private slice(): void {
    this.scheduled = false;
    const deadline = performance.now() + this.sliceMs;
    while (this.turns.length > 0 && performance.now() < deadline) {
      const conn = this.turns.shift()!;
      const queue = this.queues.get(conn);
      if (!queue) continue;
      for (let n = 0; n < this.perTurn && queue.head < queue.frames.length; n++) {
        const frame = queue.frames[queue.head++]!;
        this.handle(conn, frame.data, frame.isBinary);
        if (this.queues.get(conn) !== queue) break; // the handler closed the connection
      }
      if (this.queues.get(conn) !== queue) continue;
      const left = queue.frames.length - queue.head;
      if (left > 0) this.turns.push(conn);
      if (left === 0 || queue.head > 1024) {
        queue.frames = queue.frames.slice(queue.head);
        queue.head = 0;
      }
      if (queue.paused && left <= this.lowWater) {
        queue.paused = false;
        conn.resume();
      }
    }
    if (this.turns.length > 0) this.schedule();
  }
}
