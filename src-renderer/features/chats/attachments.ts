/**
 * Files attached to a room's next message, from the button, a drop or a paste: each is staged in
 * main at once (its bytes sent in pieces, with progress), so sending is quick and the message
 * shows at once; the list is kept per room outside React, like the compose intent.
 */
import { useSyncExternalStore } from 'react';
import { MAX_STAGE_CHUNK_BASE64 } from '../../../src-shared/ipc/chat-types';
import { MAX_FILES_PER_MESSAGE } from '../../../src-shared/protocol/limits';
import { call } from '../../lib/api';

/** Bytes per piece: what fits MAX_STAGE_CHUNK_BASE64 once in base64. */
const PIECE_BYTES = (MAX_STAGE_CHUNK_BASE64 / 4) * 3;

export interface Attachment {
  id: number;
  name: string;
  size: number;
  /** What the browser says it is (for the chip's icon and preview only). */
  type: string;
  /** An object URL for an image's preview (revoked when the chip goes). */
  preview: string | null;
  stageId: string | null;
  /** Bytes staged so far. */
  staged: number;
  error: string | null;
}

const byRoom = new Map<string, Attachment[]>();
const listeners = new Set<() => void>();
const EMPTY: Attachment[] = [];
let nextId = 1;

function update(roomId: string, change: (list: Attachment[]) => Attachment[]): void {
  byRoom.set(roomId, change(byRoom.get(roomId) ?? []));
  for (const listener of listeners) listener();
}

function patch(roomId: string, id: number, values: Partial<Attachment>): void {
  update(roomId, (list) => list.map((a) => (a.id === id ? { ...a, ...values } : a)));
}

export function useAttachments(roomId: string): Attachment[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => byRoom.get(roomId) ?? EMPTY,
  );
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** A name for a pasted image, which comes without one ("image.png" from every screenshot). */
function nameOf(file: File): string {
  if (file.name && file.name !== 'image.png') return file.name;
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '.');
  return `Pasted image ${stamp}.${file.type.split('/')[1] ?? 'png'}`;
}

async function stage(roomId: string, id: number, file: File): Promise<void> {
  try {
    const { stageId } = await call('files.stageStart', { name: nameOf(file), size: file.size });
    patch(roomId, id, { stageId });
    for (let offset = 0; offset < file.size; offset += PIECE_BYTES) {
      if (!(byRoom.get(roomId) ?? []).some((a) => a.id === id)) return; // removed meanwhile
      const piece = new Uint8Array(await file.slice(offset, offset + PIECE_BYTES).arrayBuffer());
      const { bytes } = await call('files.stageChunk', { stageId, offset, data: base64(piece) });
      patch(roomId, id, { staged: bytes });
    }
  } catch (error) {
    patch(roomId, id, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Attaches files to the room's next message; answers how many did not fit the message. */
export function attachFiles(roomId: string, files: File[]): number {
  const room = byRoom.get(roomId) ?? [];
  const space = Math.max(0, MAX_FILES_PER_MESSAGE - room.length);
  const taken = files.slice(0, space);
  for (const file of taken) {
    const id = nextId++;
    update(roomId, (list) => [
      ...list,
      {
        id,
        name: nameOf(file),
        size: file.size,
        type: file.type,
        preview:
          file.type.startsWith('image/') && file.type !== 'image/svg+xml'
            ? URL.createObjectURL(file)
            : null,
        stageId: null,
        staged: 0,
        error: null,
      },
    ]);
    void stage(roomId, id, file);
  }
  return files.length - taken.length;
}

export function removeAttachment(roomId: string, id: number): void {
  const attachment = (byRoom.get(roomId) ?? []).find((a) => a.id === id);
  if (!attachment) return;
  if (attachment.preview) URL.revokeObjectURL(attachment.preview);
  if (attachment.stageId) void call('files.stageCancel', { stageId: attachment.stageId });
  update(roomId, (list) => list.filter((a) => a.id !== id));
}

/** Whether every attachment arrived whole in main (sending waits for that). */
export function allStaged(list: Attachment[]): boolean {
  return list.every((a) => a.stageId !== null && a.staged === a.size && !a.error);
}

/** Hands the staged files over for sending and empties the list (previews are let go). */
export function takeAttachments(roomId: string): string[] {
  const list = byRoom.get(roomId) ?? [];
  for (const a of list) if (a.preview) URL.revokeObjectURL(a.preview);
  update(roomId, () => []);
  return list.map((a) => a.stageId!).filter(Boolean);
}
