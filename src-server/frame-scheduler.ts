/**
 * Requests are handled in bounded slices instead of as they arrive. ws delivers every frame of a
 * TCP read at once, so a client that sends a thousand requests in one burst would otherwise have
 * all of them stored and fanned out before anyone else's request is looked at. Frames wait in a
 * queue per connection; a slice takes a few from each connection in turn (round robin) until its
 * time is up, then yields to the event loop (setImmediate). A connection whose queue grows past
 * its high-water mark is paused (TCP backpressure) until it drains.
 *
 * Two lanes: interactive requests (chat, calls, pings) and bulk ones (analytics uploads, each
 * some milliseconds of database work). A bulk frame is taken only when no interactive one waits,
 * one at a time, so interactive latency is bounded by one bulk frame however many upload.
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

interface Frame {
  data: string;
  isBinary: boolean;
}

class Lane {
  frames: Frame[] = [];
  head = 0;
  get size(): number {
    return this.frames.length - this.head;
  }
  push(frame: Frame): void {
    this.frames.push(frame);
  }
  shift(): Frame {
    const frame = this.frames[this.head++]!;
    if (this.head === this.frames.length || this.head > 1024) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}

interface Queue {
  interactive: Lane;
  bulk: Lane;
  paused: boolean;
}

export class FrameScheduler<C extends ScheduledConnection> {
  private readonly queues = new Map<C, Queue>();
  /** Connections with frames waiting in each lane, in turn order. */
  private readonly turns: C[] = [];
  private readonly bulkTurns: C[] = [];
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

  enqueue(conn: C, data: string, isBinary: boolean, bulk = false): void {
    let queue = this.queues.get(conn);
    if (!queue)
      this.queues.set(conn, (queue = { interactive: new Lane(), bulk: new Lane(), paused: false }));
    const lane = bulk ? queue.bulk : queue.interactive;
    if (lane.size === 0) (bulk ? this.bulkTurns : this.turns).push(conn);
    lane.push({ data, isBinary });
    if (!queue.paused && this.pending(conn) >= this.highWater) {
      queue.paused = true;
      conn.pause();
    }
    this.schedule();
  }

  /** Frames still waiting for `conn`. */
  pending(conn: C): number {
    const queue = this.queues.get(conn);
    return queue ? queue.interactive.size + queue.bulk.size : 0;
  }

  /** Drops what `conn` has waiting (it is closing) and forgets it. */
  forget(conn: C): void {
    this.queues.delete(conn);
    for (const turns of [this.turns, this.bulkTurns]) {
      const index = turns.indexOf(conn);
      if (index >= 0) turns.splice(index, 1);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  private slice(): void {
    this.scheduled = false;
    const deadline = performance.now() + this.sliceMs;
    while (performance.now() < deadline) {
      if (this.turns.length > 0) this.take(this.turns, 'interactive', this.perTurn);
      else if (this.bulkTurns.length > 0) this.take(this.bulkTurns, 'bulk', 1);
      else break;
    }
    if (this.turns.length > 0 || this.bulkTurns.length > 0) this.schedule();
  }

  /** Handles up to `count` frames of the next connection in `turns`, then gives up its turn. */
  private take(turns: C[], lane: 'interactive' | 'bulk', count: number): void {
    const conn = turns.shift()!;
    const queue = this.queues.get(conn);
    if (!queue) return;
    for (let n = 0; n < count && queue[lane].size > 0; n++) {
      const frame = queue[lane].shift();
      this.handle(conn, frame.data, frame.isBinary);
      if (this.queues.get(conn) !== queue) return; // the handler closed the connection
    }
    if (queue[lane].size > 0) turns.push(conn);
    if (queue.paused && this.pending(conn) <= this.lowWater) {
      queue.paused = false;
      conn.resume();
    }
  }
}
