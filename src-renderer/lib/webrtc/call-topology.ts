/**
 * How media travels in a call, behind one interface: the UI and the call session talk to a
 * CallTopology and never to peer connections. Today there is the mesh (a connection to every
 * other participant); a selective forwarding unit for larger rooms would be a second
 * implementation (one connection to the SFU, the same remotes() and stats()).
 */
import type { CallMedia, CallSignal } from '../../../src-shared/ipc/call-types';

export interface RemotePeer {
  userId: string;
  session: string;
  media: CallMedia;
}

export interface RemoteMedia {
  userId: string;
  camera: MediaStream | null;
  screen: MediaStream | null;
  state: RTCPeerConnectionState;
  iceRestarts: number;
}

export interface LocalMedia {
  camera: MediaStream | null;
  screen: MediaStream | null;
}

export interface CallTopology {
  readonly kind: 'mesh';
  /** What this participant sends; senders are added, replaced or removed to match. */
  setLocalMedia(local: LocalMedia): void;
  /** The other participants now in the call; connections follow (a new session reconnects). */
  setPeers(peers: RemotePeer[]): void;
  receive(from: string, signal: CallSignal): void;
  remotes(): RemoteMedia[];
  /** Raw WebRTC statistics per remote participant. */
  stats(): Promise<Map<string, RTCStatsReport>>;
  /** How loud each remote participant is right now (0..1, linear), for the active speaker. */
  audioLevels(): Map<string, number>;
  onChange(listener: () => void): () => void;
  close(): void;
}
