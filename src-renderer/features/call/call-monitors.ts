/**
 * The per-second work of a running call: call-quality statistics from getStats (shown in the
 * overlay, stored in batches for the dashboard) and audio levels for the active speaker.
 */
import type { QualitySample } from '../../../src-shared/ipc/call-types';
import { call } from '../../lib/api';
import type { CallTopology } from '../../lib/webrtc/call-topology';
import { peerQuality, type PeerQuality } from '../../lib/webrtc/call-stats';
import { nextSpeaker, type SpeakerState } from '../../lib/webrtc/active-speaker';
import { getCallState, setCallState } from './call-store';

const STATS_INTERVAL_MS = 1000;
const UPLOAD_EVERY_MS = 5000;
const LEVEL_INTERVAL_MS = 150;

export class CallMonitors {
  private readonly statsTimer: ReturnType<typeof setInterval>;
  private readonly levelTimer: ReturnType<typeof setInterval>;
  private readonly uploadTimer: ReturnType<typeof setInterval>;
  private samples: QualitySample[] = [];
  private readonly audio = new AudioContext();
  private readonly analysers = new Map<
    string,
    { trackId: string; node: AnalyserNode; source: MediaStreamAudioSourceNode }
  >();
  private speaker: SpeakerState = { speaker: null, candidate: null, candidateSince: 0 };
  private readonly buffer = new Float32Array(512);

  constructor(
    private readonly callId: () => string,
    private readonly me: string,
    private readonly topology: CallTopology,
  ) {
    this.statsTimer = setInterval(() => void this.sampleStats(), STATS_INTERVAL_MS);
    this.levelTimer = setInterval(() => this.sampleLevels(), LEVEL_INTERVAL_MS);
    this.uploadTimer = setInterval(() => this.upload(), UPLOAD_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.statsTimer);
    clearInterval(this.levelTimer);
    clearInterval(this.uploadTimer);
    this.upload();
    for (const a of this.analysers.values()) a.source.disconnect();
    void this.audio.close();
  }

  private async sampleStats(): Promise<void> {
    const reports = await this.topology.stats();
    const now = Date.now();
    const before = getCallState().quality;
    const quality: Record<string, PeerQuality> = {};
    for (const [userId, report] of reports) {
      const stats = [...report.values()] as Parameters<typeof peerQuality>[0] & unknown[];
      const q = peerQuality(stats, now, before[userId] ?? null);
      quality[userId] = q;
      this.samples.push({
        peerId: userId,
        at: now,
        rttMs: q.rttMs,
        jitterMs: q.jitterMs,
        lossPct: q.lossPct,
        bitrateKbps: q.bitrateKbps,
        fps: q.fps,
        width: q.width,
        height: q.height,
      });
    }
    setCallState({ quality });
  }

  private upload(): void {
    if (!this.samples.length) return;
    const samples = this.samples.splice(0, 600);
    call('calls.quality', { callId: this.callId(), samples }).catch(() => {
      // Quality history is best effort: a lost batch only thins the dashboard's chart.
    });
  }

  private sampleLevels(): void {
    const state = getCallState();
    const streams = new Map<string, MediaStream | null>([
      [this.me, state.audioOn ? state.camera : null],
    ]);
    for (const remote of state.remotes) streams.set(remote.userId, remote.camera);
    const levels = new Map<string, number>();
    for (const [userId, stream] of streams) {
      const track = stream?.getAudioTracks()[0];
      let entry = this.analysers.get(userId);
      if (entry && entry.trackId !== track?.id) {
        entry.source.disconnect();
        this.analysers.delete(userId);
        entry = undefined;
      }
      if (!track) continue;
      if (!entry) {
        const source = this.audio.createMediaStreamSource(new MediaStream([track]));
        const node = this.audio.createAnalyser();
        node.fftSize = 512;
        source.connect(node);
        entry = { trackId: track.id, node, source };
        this.analysers.set(userId, entry);
      }
      entry.node.getFloatTimeDomainData(this.buffer);
      let sum = 0;
      for (const v of this.buffer) sum += v * v;
      levels.set(userId, Math.sqrt(sum / this.buffer.length));
    }
    this.speaker = nextSpeaker(this.speaker, levels, Date.now());
    if (this.speaker.speaker !== state.speaker) setCallState({ speaker: this.speaker.speaker });
  }
}
