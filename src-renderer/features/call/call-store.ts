/**
 * The call as the UI sees it, outside React so that a call survives navigation between
 * screens: one store per page, read with useCallState(), written only by CallSession.
 */
import { useSyncExternalStore } from 'react';
import type { CallsSnapshot, WireCall } from '../../../src-shared/ipc/call-types';
import type { RemoteMedia } from '../../lib/webrtc/call-topology';
import type { PeerQuality } from '../../lib/webrtc/call-stats';

export interface PeerView {
  volume: number;
  mutedForMe: boolean;
  videoHidden: boolean;
}

/** Something to tell the user, as an i18n key with its values. */
export interface Notice {
  key: string;
  values?: Record<string, string>;
  tone: 'info' | 'error';
}

export interface CallState {
  snapshot: CallsSnapshot | null;
  /** The call this page is in, as the server last described it. */
  call: WireCall | null;
  joining: boolean;
  camera: MediaStream | null;
  screen: MediaStream | null;
  audioOn: boolean;
  videoOn: boolean;
  remotes: RemoteMedia[];
  speaker: string | null;
  pinned: string | null;
  layout: 'grid' | 'speaker';
  peers: Record<string, PeerView>;
  quality: Record<string, PeerQuality>;
  showStats: boolean;
  /** Recording started by this page (the server's call.recording says who records). */
  recordingHere: boolean;
  recordingBusy: boolean;
  sinkId: string;
  notice: Notice | null;
}

export const DEFAULT_PEER_VIEW: PeerView = { volume: 1, mutedForMe: false, videoHidden: false };

let state: CallState = {
  snapshot: null,
  call: null,
  joining: false,
  camera: null,
  screen: null,
  audioOn: true,
  videoOn: true,
  remotes: [],
  speaker: null,
  pinned: null,
  layout: 'grid',
  peers: {},
  quality: {},
  showStats: false,
  recordingHere: false,
  recordingBusy: false,
  sinkId: '',
  notice: null,
};
const listeners = new Set<() => void>();

export function getCallState(): CallState {
  return state;
}

export function setCallState(patch: Partial<CallState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export function peerView(userId: string): PeerView {
  return state.peers[userId] ?? DEFAULT_PEER_VIEW;
}

export function setPeerView(userId: string, patch: Partial<PeerView>): void {
  setCallState({ peers: { ...state.peers, [userId]: { ...peerView(userId), ...patch } } });
}

export function subscribeCallState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useCallState(): CallState {
  return useSyncExternalStore(subscribeCallState, getCallState);
}
