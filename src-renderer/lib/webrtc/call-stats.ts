/**
 * Turns two successive RTCStatsReports of one peer connection into a call-quality sample:
 * round-trip time, jitter, packet loss and bitrate over the interval, frame rate and
 * resolution of the received video, and the running byte and frame counts.
 */
export interface InboundTotals {
  at: number;
  audioBytes: number;
  videoBytes: number;
  framesDecoded: number;
  packetsReceived: number;
  packetsLost: number;
}

export interface PeerQuality extends InboundTotals {
  rttMs: number | null;
  jitterMs: number | null;
  lossPct: number | null;
  bitrateKbps: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
}

type Stat = Record<string, unknown> & { type: string; id: string };

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Reads one report; `previous` (the same peer's last result) turns totals into rates. */
export function peerQuality(
  stats: Iterable<Stat>,
  at: number,
  previous: InboundTotals | null,
): PeerQuality {
  const totals: InboundTotals = {
    at,
    audioBytes: 0,
    videoBytes: 0,
    framesDecoded: 0,
    packetsReceived: 0,
    packetsLost: 0,
  };
  let rttMs: number | null = null;
  let jitterMs: number | null = null;
  let fps: number | null = null;
  let width: number | null = null;
  let height: number | null = null;
  for (const s of stats) {
    if (s.type === 'candidate-pair' && (s.nominated === true || s.state === 'succeeded')) {
      const rtt = num(s.currentRoundTripTime);
      if (rtt !== null) rttMs = Math.max(rttMs ?? 0, rtt * 1000);
    } else if (s.type === 'inbound-rtp') {
      totals.packetsReceived += num(s.packetsReceived) ?? 0;
      totals.packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
      const bytes = num(s.bytesReceived) ?? 0;
      if (s.kind === 'audio') {
        totals.audioBytes += bytes;
        const jitter = num(s.jitter);
        if (jitter !== null) jitterMs = Math.max(jitterMs ?? 0, jitter * 1000);
      } else if (s.kind === 'video') {
        totals.videoBytes += bytes;
        totals.framesDecoded += num(s.framesDecoded) ?? 0;
        // The largest video (a shared screen beats a thumbnail camera) describes the peer.
        const w = num(s.frameWidth);
        if (w !== null && w >= (width ?? 0)) {
          width = w;
          height = num(s.frameHeight);
          fps = num(s.framesPerSecond);
        }
      }
    }
  }
  let lossPct: number | null = null;
  let bitrateKbps: number | null = null;
  if (previous && at > previous.at) {
    const received = totals.packetsReceived - previous.packetsReceived;
    const lost = totals.packetsLost - previous.packetsLost;
    if (received + lost > 0) lossPct = Math.max(0, Math.min(100, (lost / (received + lost)) * 100));
    const bytes = totals.audioBytes + totals.videoBytes - previous.audioBytes - previous.videoBytes;
    bitrateKbps = Math.max(0, (bytes * 8) / (at - previous.at));
  }
  return { ...totals, rttMs, jitterMs, lossPct, bitrateKbps, fps, width, height };
}
