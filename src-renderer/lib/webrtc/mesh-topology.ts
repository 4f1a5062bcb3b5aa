/**
 * The mesh: one PeerLink per other participant. Each side adds its tracks and the perfect
 * negotiation in PeerLink settles who offers. Send quality follows the number of peers.
 */
// Smooths over what differs between WebRTC implementations (Electron's Chromium, or whatever
// browser opens the browser host).
import 'webrtc-adapter';
import type { CallSignal } from '../../../src-shared/ipc/call-types';
import type { CallTopology, LocalMedia, RemoteMedia, RemotePeer } from './call-topology';
import { PeerLink } from './peer-link';
import { cameraQualityFor, screenQualityFor, type SendQuality } from './send-quality';

export interface MeshOptions {
  me: string;
  iceServers?: RTCIceServer[];
  send(to: string, signal: CallSignal): Promise<unknown>;
  onError(what: string, error: unknown): void;
}

interface Peer {
  info: RemotePeer;
  link: PeerLink;
  streams: Map<string, MediaStream>;
}

/** Signals that arrive before we know the peer (their join raced our state) wait this long. */
const EARLY_SIGNAL_MS = 5000;

export class MeshTopology implements CallTopology {
  readonly kind = 'mesh' as const;
  private readonly peers = new Map<string, Peer>();
  private readonly early = new Map<string, { at: number; signal: CallSignal }[]>();
  private local: LocalMedia = { camera: null, screen: null };
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: MeshOptions) {}

  setLocalMedia(local: LocalMedia): void {
    this.local = local;
    for (const peer of this.peers.values()) this.syncSenders(peer);
  }

  setPeers(peers: RemotePeer[]): void {
    if (this.closed) return;
    const wanted = new Map(peers.map((p) => [p.userId, p]));
    for (const [userId, peer] of this.peers) {
      const next = wanted.get(userId);
      if (!next || next.session !== peer.info.session) this.drop(userId);
      else peer.info = next;
    }
    for (const info of wanted.values()) if (!this.peers.has(info.userId)) this.add(info);
    for (const peer of this.peers.values()) this.applyQuality(peer);
    this.changed();
  }

  receive(from: string, signal: CallSignal): void {
    const peer = this.peers.get(from);
    if (peer) {
      void peer.link.receive(signal);
      return;
    }
    const now = Date.now();
    const queue = (this.early.get(from) ?? []).filter((s) => now - s.at < EARLY_SIGNAL_MS);
    queue.push({ at: now, signal });
    this.early.set(from, queue);
  }

  remotes(): RemoteMedia[] {
    return [...this.peers.values()].map((peer) => {
      const byId = (id: string | null) => (id ? (peer.streams.get(id) ?? null) : null);
      return {
        userId: peer.info.userId,
        camera: byId(peer.info.media.cameraStreamId),
        screen: peer.info.media.screen ? byId(peer.info.media.screenStreamId) : null,
        state: peer.link.pc.connectionState,
        iceRestarts: peer.link.iceRestarts,
      };
    });
  }

  async stats(): Promise<Map<string, RTCStatsReport>> {
    const result = new Map<string, RTCStatsReport>();
    await Promise.all(
      [...this.peers.values()].map(async (peer) => {
        try {
          result.set(peer.info.userId, await peer.link.pc.getStats());
        } catch {
          // a connection closing right now has no stats; the next second will tell
        }
      }),
    );
    return result;
  }

  audioLevels(): Map<string, number> {
    // The level the sender's packets carry (RFC 6464), read from the receiver: no decoding or
    // Web Audio graph per participant, which in a 10-person call costs more than the video.
    const levels = new Map<string, number>();
    for (const peer of this.peers.values()) {
      for (const receiver of peer.link.pc.getReceivers()) {
        if (receiver.track.kind !== 'audio') continue;
        const level = receiver.getSynchronizationSources()[0]?.audioLevel;
        if (level !== undefined)
          levels.set(peer.info.userId, Math.max(levels.get(peer.info.userId) ?? 0, level));
      }
    }
    return levels;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    for (const userId of [...this.peers.keys()]) this.drop(userId);
    this.listeners.clear();
  }

  private add(info: RemotePeer): void {
    const userId = info.userId;
    const polite = this.options.me < userId;
    const peer: Peer = {
      info,
      streams: new Map(),
      link: new PeerLink({
        polite,
        iceServers: this.options.iceServers ?? [],
        send: (signal) => this.options.send(userId, signal),
        onTrack: (event) => {
          for (const stream of event.streams) {
            peer.streams.set(stream.id, stream);
            stream.onremovetrack = () => {
              if (stream.getTracks().length === 0) peer.streams.delete(stream.id);
              this.changed();
            };
          }
          event.track.onunmute = () => this.changed();
          this.changed();
        },
        onStateChange: (state) => {
          if (state === 'connected') this.applyQuality(peer);
          this.changed();
        },
        onError: (what, error) => this.options.onError(`${what} (${userId})`, error),
      }),
    };
    this.peers.set(userId, peer);
    this.syncSenders(peer);
    // The impolite side makes the first offer; with nothing to send it still asks to receive.
    if (!polite && peer.link.pc.getTransceivers().length === 0) {
      peer.link.pc.addTransceiver('audio', { direction: 'recvonly' });
      peer.link.pc.addTransceiver('video', { direction: 'recvonly' });
    }
    const waiting = this.early.get(userId);
    this.early.delete(userId);
    for (const { signal } of waiting ?? []) void peer.link.receive(signal);
  }

  private drop(userId: string): void {
    this.peers.get(userId)?.link.close();
    this.peers.delete(userId);
  }

  /** Adds, replaces or removes senders so that the connection sends exactly the local tracks. */
  private syncSenders(peer: Peer): void {
    const pc = peer.link.pc;
    if (pc.signalingState === 'closed') return;
    const wanted: { track: MediaStreamTrack; stream: MediaStream }[] = [];
    for (const stream of [this.local.camera, this.local.screen])
      if (stream) for (const track of stream.getTracks()) wanted.push({ track, stream });
    const senders = pc.getSenders();
    for (const sender of senders)
      if (sender.track && !wanted.some((w) => w.track === sender.track)) pc.removeTrack(sender);
    for (const { track, stream } of wanted)
      if (!senders.some((s) => s.track === track)) pc.addTrack(track, stream);
    this.applyQuality(peer);
  }

  private applyQuality(peer: Peer): void {
    const peers = this.peers.size;
    for (const sender of peer.link.pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const isScreen = this.local.screen?.getTracks().includes(sender.track) ?? false;
      this.setEncoding(sender, isScreen ? screenQualityFor(peers) : cameraQualityFor(peers));
    }
  }

  private setEncoding(sender: RTCRtpSender, quality: SendQuality): void {
    const params = sender.getParameters();
    if (!params.encodings?.length) return; // before negotiation; applied again once connected
    const current = params.encodings[0]!;
    if (
      current.maxBitrate === quality.maxBitrate &&
      current.scaleResolutionDownBy === quality.scaleResolutionDownBy &&
      current.maxFramerate === quality.maxFramerate
    )
      return;
    params.encodings = params.encodings.map((e) => ({ ...e, ...quality }));
    sender.setParameters(params).catch((error: unknown) => this.options.onError('quality', error));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
