import type { LocalMessage } from '../../src-shared/ipc/chat-types';

/**
 * Coalesces change notifications: message changes per room (the newest state of each message
 * wins) and "rooms changed" flags, delivered together once per `delayMs`.
 */
export class ChangeBatcher {
  private readonly pendingMessages = new Map<string, Map<string, LocalMessage>>();
  private roomsDirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emitMessages: (roomId: string, messages: LocalMessage[]) => void,
    private readonly emitRooms: () => void,
    private readonly delayMs = 30,
  ) {}

  messages(roomId: string, messages: LocalMessage[]): void {
    let room = this.pendingMessages.get(roomId);
    if (!room) this.pendingMessages.set(roomId, (room = new Map()));
    for (const m of messages) room.set(m.clientId, m);
    this.schedule();
  }

  rooms(): void {
    this.roomsDirty = true;
    this.schedule();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pendingMessages];
    this.pendingMessages.clear();
    for (const [roomId, messages] of batches)
      this.emitMessages(
        roomId,
        [...messages.values()].sort((a, b) => a.localId - b.localId),
      );
    if (this.roomsDirty) {
      this.roomsDirty = false;
      this.emitRooms();
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }
}
