/**
 * The few UI choices that voice commands (and later other surfaces) make as well as the mouse:
 * the open room, a search to run, text dictated into the composer, the output volume. Kept
 * outside React so that a command works whichever screen is showing; the screens read the same
 * store, so a spoken "next room" and a click on the room list are one code path.
 */
import { useSyncExternalStore } from 'react';

export interface UiIntents {
  /** The room the chats screen shows (null: the first room). */
  selectedRoomId: string | null;
  /** A search asked for by voice; `seq` changes with each request. */
  search: { query: string; seq: number } | null;
  /** Text to append to the composer; `seq` changes with each piece. */
  dictation: { text: string; seq: number } | null;
  /** Volume of everything the app plays (calls, cues), 0..1. */
  outputVolume: number;
}

let state: UiIntents = { selectedRoomId: null, search: null, dictation: null, outputVolume: 1 };
let seq = 0;
const listeners = new Set<() => void>();

function set(patch: Partial<UiIntents>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export function getUiIntents(): UiIntents {
  return state;
}

export function useUiIntents(): UiIntents {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

export function selectRoom(roomId: string | null): void {
  set({ selectedRoomId: roomId });
}

/** The room `step` away from the open one in list order, wrapping ("next room", Alt+Down). */
export function roomAfter<T extends { id: string }>(list: readonly T[], step: 1 | -1): T | null {
  if (list.length === 0) return null;
  const at = Math.max(
    0,
    list.findIndex((r) => r.id === state.selectedRoomId),
  );
  return list[(at + step + list.length) % list.length]!;
}

export function requestSearch(query: string): void {
  set({ search: { query, seq: ++seq } });
}

export function dictate(text: string): void {
  set({ dictation: { text, seq: ++seq } });
}

export function setOutputVolume(volume: number): void {
  set({ outputVolume: Math.min(1, Math.max(0, Math.round(volume * 100) / 100)) });
}
