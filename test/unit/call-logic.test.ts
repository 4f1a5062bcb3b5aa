/** The pure parts of calls: SDP checks, ringing, send quality, statistics, active speaker. */
import {
  RING_TIMEOUT_MS,
  ringingCalls,
  sdpProblem,
  type WireCall,
} from '../../src-shared/protocol/calls';
import { cameraQualityFor, screenQualityFor } from '../../src-renderer/lib/webrtc/send-quality';
import { peerQuality } from '../../src-renderer/lib/webrtc/call-stats';
import { nextSpeaker, type SpeakerState } from '../../src-renderer/lib/webrtc/active-speaker';

const ME = 'u_' + 'a'.repeat(32);
const BOB = 'u_' + 'b'.repeat(32);

function callBy(startedBy: string, startedAt: number, participants: string[]): WireCall {
  return {
    callId: 'c_' + '1'.repeat(24),
    roomId: 'r_' + '2'.repeat(24),
    ownerId: null,
    startedBy,
    startedAt,
    recording: null,
    topology: 'mesh',
    removed: [],
    participants: participants.map((userId) => ({
      userId,
      name: userId.slice(2, 5),
      joinedAt: startedAt,
      session: 'session-1',
      media: {
        audio: true,
        video: true,
        screen: false,
        cameraStreamId: null,
        screenStreamId: null,
      },
      forcedMute: false,
      reconnecting: false,
    })),
  };
}

describe('sdpProblem', () => {
  it('accepts an SDP and a rollback, refuses what is not one', () => {
    expect(
      sdpProblem('offer', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=audio 9 UDP 111\r\n'),
    ).toBeNull();
    expect(sdpProblem('rollback', '')).toBeNull();
    expect(sdpProblem('offer', 'hello')).toMatch(/v=0/);
    expect(sdpProblem('answer', 'v=0\r\nnot a line\r\nm=audio 9 X 0')).toMatch(/line 2/);
    expect(sdpProblem('answer', 'v=0\r\ns=-\r\n')).toMatch(/m= section/);
  });
});

describe('ringingCalls', () => {
  const now = 1_000_000;
  it('rings for a new call by someone else that I have not joined or declined', () => {
    const call = callBy(BOB, now - 1000, [BOB]);
    expect(ringingCalls([call], ME, { inCall: false, declined: [], now })).toEqual([call]);
    expect(ringingCalls([call], ME, { inCall: true, declined: [], now })).toEqual([]);
    expect(ringingCalls([call], ME, { inCall: false, declined: [call.callId], now })).toEqual([]);
    expect(ringingCalls([callBy(ME, now, [ME])], ME, { inCall: false, declined: [], now })).toEqual(
      [],
    );
    expect(
      ringingCalls([callBy(BOB, now, [BOB, ME])], ME, { inCall: false, declined: [], now }),
    ).toEqual([]);
    const old = callBy(BOB, now - RING_TIMEOUT_MS - 1, [BOB]);
    expect(ringingCalls([old], ME, { inCall: false, declined: [], now })).toEqual([]);
  });
});

describe('send quality', () => {
  it('never rises as the call grows, and keeps screens sharp', () => {
    let previous = cameraQualityFor(1);
    for (let peers = 2; peers <= 15; peers++) {
      const q = cameraQualityFor(peers);
      expect(q.maxBitrate).toBeLessThanOrEqual(previous.maxBitrate);
      expect(q.scaleResolutionDownBy).toBeGreaterThanOrEqual(previous.scaleResolutionDownBy);
      previous = q;
    }
    // Nine copies at the 10-person setting fit an ordinary 2 Mbit/s uplink.
    expect(cameraQualityFor(9).maxBitrate * 9).toBeLessThanOrEqual(2_000_000);
    expect(screenQualityFor(9).scaleResolutionDownBy).toBe(1);
  });
});

describe('peerQuality', () => {
  const report = (audioBytes: number, videoBytes: number, received: number, lost: number) => [
    { id: 'p', type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.042 },
    {
      id: 'a',
      type: 'inbound-rtp',
      kind: 'audio',
      bytesReceived: audioBytes,
      jitter: 0.003,
      packetsReceived: received,
      packetsLost: lost,
    },
    {
      id: 'v',
      type: 'inbound-rtp',
      kind: 'video',
      bytesReceived: videoBytes,
      framesDecoded: 30,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 24,
      packetsReceived: received,
      packetsLost: 0,
    },
    { id: 'o', type: 'outbound-rtp', kind: 'video', bytesSent: 999_999 },
  ];
  it('reads totals, and rates against the previous sample', () => {
    const first = peerQuality(report(1000, 10_000, 100, 0), 1000, null);
    expect(first).toMatchObject({
      audioBytes: 1000,
      videoBytes: 10_000,
      framesDecoded: 30,
      rttMs: 42,
      jitterMs: 3,
      width: 640,
      height: 480,
      fps: 24,
      bitrateKbps: null,
      lossPct: null,
    });
    const second = peerQuality(report(2000, 20_000, 190, 10), 2000, first);
    // 11,000 bytes in one second = 88 kbit/s; 10 lost of 190 new packets (180 received + 10 lost).
    expect(second.bitrateKbps).toBeCloseTo(88, 5);
    expect(second.lossPct).toBeCloseTo((10 / 190) * 100, 5);
  });
});

describe('nextSpeaker', () => {
  it('moves the highlight only after the new speaker has held it', () => {
    let state: SpeakerState = { speaker: null, candidate: null, candidateSince: 0 };
    const loud = (id: string) =>
      new Map([
        [id, 0.2],
        ['other', 0.01],
      ]);
    state = nextSpeaker(state, loud('bob'), 0);
    expect(state.speaker).toBeNull();
    state = nextSpeaker(state, loud('bob'), 350);
    expect(state.speaker).toBe('bob');
    // A short burst from someone else does not take it.
    state = nextSpeaker(state, loud('carol'), 400);
    state = nextSpeaker(state, loud('bob'), 500);
    expect(state.speaker).toBe('bob');
    // Silence keeps the last speaker.
    state = nextSpeaker(state, new Map([['bob', 0.001]]), 2000);
    expect(state.speaker).toBe('bob');
  });
});
