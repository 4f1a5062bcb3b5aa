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
  // 'playback' latency: bigger buffers, fewer wake-ups; the analyser only needs a level.
  private readonly audio = new AudioContext({ latencyHint: 'playback' });
  private local: {
    trackId: string;
    node: AnalyserNode;
    source: MediaStreamAudioSourceNode;
  } | null = null;
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
    this.local?.source.disconnect();
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
    // Remote levels come from the connections; only our own microphone goes through Web Audio.
    const levels = this.topology.audioLevels();
    const track = state.audioOn ? state.camera?.getAudioTracks()[0] : undefined;
    if (this.local && this.local.trackId !== track?.id) {
      this.local.source.disconnect();
      this.local = null;
    }
    if (track) {
      if (!this.local) {
        const source = this.audio.createMediaStreamSource(new MediaStream([track]));
        const node = this.audio.createAnalyser();
        node.fftSize = 512;
        source.connect(node);
        this.local = { trackId: track.id, node, source };
      }
      this.local.node.getFloatTimeDomainData(this.buffer);
      let sum = 0;
      for (const v of this.buffer) sum += v * v;
      levels.set(this.me, Math.sqrt(sum / this.buffer.length));
    }
    this.speaker = nextSpeaker(this.speaker, levels, Date.now());
    if (this.speaker.speaker !== state.speaker) setCallState({ speaker: this.speaker.speaker });
  }
}
