/**
 * Drains the outbox in the order messages were written, with a bounded number in flight. A
 * message leaves the outbox only through the server's ack (MessageStore.markSent); when the
 * session drops, whatever was in flight is simply sent again on the next one (the server
 * acknowledges a resend without storing it twice).
 */
import type { Logger } from '../../../src-shared/log';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import type { WireFile } from '../../../src-shared/protocol/entities';
import type { MessageStore } from '../storage/message-store';
import { ServerRequestError, type ServerConnection } from './server-connection';

/** Refusals that resending cannot fix: the message is marked failed until the user retries. */
const PERMANENT = new Set([
  'not_member',
  'no_such_room',
  'no_such_message',
  'forbidden',
  'malformed_frame',
  'frame_too_large',
  'no_such_file',
]);

export class OutboxSender {
  private active = false;
  /** Everything up to this local id has been handed to the current session. */
  private cursor = 0;
  /** Client ids sent in this session and not answered yet; a new set for every session. */
  private inFlight = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  /** Told `rate_limited` or `out_of_order`: nothing more is sent until the retry. */
  private held = false;
  /**
   * Per room, the last entry handed to this session (since the last rescan): the next one names
   * it as `after`, so the server stores the room's entries in the order they were written even
   * when it refuses one of them for a while (a rate limit) while later ones are on the wire.
   */
  private lastHanded = new Map<string, string>();

  constructor(
    private readonly store: MessageStore,
    private readonly connection: ServerConnection,
    private readonly onChange: (message: LocalMessage) => void,
    private readonly onSessionLost: (why: string) => void,
    private readonly logger: Logger,
    private readonly window = 256,
  ) {}

  /** The session is ready: send everything pending, from the oldest. */
  start(): void {
    this.active = true;
    this.held = false;
    this.cursor = 0;
    this.lastHanded = new Map();
    this.pump();
  }

  stop(): void {
    this.active = false;
    this.inFlight = new Set();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Something was queued (or re-queued by a retry): look again from the start when asked to. */
  kick(rescan = false): void {
    if (rescan) {
      this.cursor = 0;
      this.lastHanded = new Map();
    }
    this.pump();
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  private pump(): void {
    if (!this.active || this.held) return;
    const inFlight = this.inFlight;
    while (inFlight.size < this.window) {
      const batch = this.store.outbox(this.cursor, this.window - inFlight.size);
      if (batch.length === 0) return;
      for (const item of batch) {
        this.cursor = item.localId;
        const after = this.lastHanded.get(item.roomId);
        this.lastHanded.set(item.roomId, item.clientId);
        if (inFlight.has(item.clientId)) continue;
        inFlight.add(item.clientId);
        this.store.noteAttempt(item.localId);
        this.connection
          .request({
            t: 'msg.send',
            roomId: item.roomId,
            clientId: item.clientId,
            body: item.body,
            ...(item.kind !== 'text' ? { kind: item.kind } : {}),
            ...(item.target ? { target: item.target } : {}),
            ...(item.replyTo ? { replyTo: item.replyTo } : {}),
            ...(item.files ? { files: JSON.parse(item.files) as WireFile[] } : {}),
            ...(after ? { after } : {}),
          })
          .then(
            (ack) => {
              const sent = this.store.markSent(ack.clientId, ack.seq, ack.at);
              if (sent) this.onChange(sent);
            },
            (error: unknown) => this.onRefused(item.roomId, item.clientId, error),
          )
          .finally(() => {
            // An answer from an earlier session must not free a slot of the current one.
            inFlight.delete(item.clientId);
            if (inFlight === this.inFlight) this.pump();
          });
      }
    }
  }

  private onRefused(roomId: string, clientId: string, error: unknown): void {
    if (!(error instanceof ServerRequestError)) {
      this.logger.error('outbox: unexpected failure', { error });
      return;
    }
    if (PERMANENT.has(error.code)) {
      // Nothing after it waits for it: it will not be stored until the user retries.
      if (this.lastHanded.get(roomId) === clientId) this.lastHanded.delete(roomId);
      const failed = this.store.markFailed(clientId, error.message);
      if (failed) this.onChange(failed);
      return;
    }
    if (error.code === 'unauthenticated' || error.code === 'token_expired') {
      this.onSessionLost(error.message);
      return;
    }
    if (error.code === 'offline') return; // the next session sends it again
    // Over the server's rate limit, or an entry before this one was refused: stop sending until
    // the retry, which starts again from the oldest unsent entry (the refused ones go again).
    if (error.code === 'rate_limited' || error.code === 'out_of_order') this.held = true;
    // timeout, rate_limited or internal: look again shortly; the resend is harmless.
    if (this.active && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.held = false;
        this.kick(true);
      }, 1000);
      this.retryTimer.unref();
    }
  }
}
