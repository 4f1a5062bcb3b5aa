/**
 * Files of messages in the renderer: their addresses (the app's own /media/ route, which serves
 * only raster images inline), fetching them into the media cache once, transfer progress from
 * main, and which image the viewer shows.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { FileProgress, LocalFile } from '../../../src-shared/ipc/chat-types';
import { INLINE_IMAGE_TYPES } from '../../../src-shared/protocol/limits';
import { call, onEvent } from '../../lib/api';
import { download } from '../../lib/download';

/** An image the app shows inline (a raster type found in its content, with a thumbnail). */
export function isInlineImage(file: LocalFile): boolean {
  return INLINE_IMAGE_TYPES.has(file.mime) && Boolean(file.thumb);
}

export function mediaUrl(sha256: string, type: string, name?: string, download = false): string {
  const query = new URLSearchParams({ type });
  if (name) query.set('name', name);
  if (download) query.set('download', '1');
  return `/media/${sha256}?${query}`;
}

/** Saves a file that is here through the browser's (or Electron's) own download. */
export function saveFile(file: LocalFile): void {
  download(mediaUrl(file.sha256, file.mime, file.name, true), file.name);
}

// ---- fetching ----

const fetched = new Set<string>();
const fetching = new Map<string, Promise<void>>();

/** Fetches a blob of a room into the media cache (once per blob), resolving when it is here. */
export function fetchBlob(roomId: string, sha256: string): Promise<void> {
  if (fetched.has(sha256)) return Promise.resolve();
  let running = fetching.get(sha256);
  if (!running) {
    running = call('files.fetch', { roomId, sha256 })
      .then(() => {
        fetched.add(sha256);
      })
      .finally(() => fetching.delete(sha256));
    fetching.set(sha256, running);
  }
  return running;
}

/** Whether a blob is here: as the message says, or once fetched (asked for when `want`). */
export function useBlob(
  roomId: string,
  sha256: string | undefined,
  local: boolean,
  want: boolean,
): { ready: boolean; error: string | null; retry(): void } {
  // Kept with the blob it is about, so that a component showing another blob starts afresh.
  const [stateOf, setState] = useState<{ sha256?: string; ready: boolean; error: string | null }>({
    sha256,
    ready: false,
    error: null,
  });
  const state =
    stateOf.sha256 === sha256
      ? stateOf
      : { sha256, ready: sha256 ? fetched.has(sha256) : false, error: null };
  const [attempt, setAttempt] = useState(0);
  const ready = state.ready || local || (sha256 ? fetched.has(sha256) : false);
  useEffect(() => {
    if (!sha256 || ready || !want) return;
    let live = true;
    fetchBlob(roomId, sha256).then(
      () => live && setState({ sha256, ready: true, error: null }),
      (error: unknown) =>
        live &&
        setState({
          sha256,
          ready: false,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      live = false;
    };
  }, [roomId, sha256, ready, want, attempt]);
  return { ready, error: state.error, retry: () => setAttempt((n) => n + 1) };
}

// ---- progress ----

const progress = new Map<string, { done: number; total: number }>();
const progressListeners = new Set<() => void>();
let stopListening: (() => void) | null = null;

function keyOf(p: FileProgress): string {
  return p.direction === 'up' ? `up:${p.clientId}` : `down:${p.sha256}`;
}

/** Listens to main's progress while some component shows one. */
function subscribeProgress(listener: () => void): () => void {
  progressListeners.add(listener);
  stopListening ??= onEvent('files.progress', (p) => {
    progress.set(keyOf(p), { done: p.done, total: p.total });
    for (const l of progressListeners) l();
  });
  return () => {
    progressListeners.delete(listener);
    if (progressListeners.size === 0) {
      stopListening?.();
      stopListening = null;
    }
  };
}

/** How far an upload (`up:<clientId>`) or download (`down:<sha256>`) is; null when none runs. */
export function useTransfer(key: string): { done: number; total: number } | null {
  return useSyncExternalStore(subscribeProgress, () => progress.get(key) ?? null);
}

// ---- the viewer ----

export interface ViewerTarget {
  roomId: string;
  sha256: string;
}
let viewer: ViewerTarget | null = null;
const viewerListeners = new Set<() => void>();

export function openViewer(target: ViewerTarget | null): void {
  viewer = target;
  for (const listener of viewerListeners) listener();
}

export function useViewer(): ViewerTarget | null {
  return useSyncExternalStore(
    (listener) => {
      viewerListeners.add(listener);
      return () => viewerListeners.delete(listener);
    },
    () => viewer,
  );
}
