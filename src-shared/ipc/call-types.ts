/** What the renderer sees of calls, recordings and call quality (IPC shapes). */
import * as z from 'zod';
import { MAX_RECORDING_CHUNK_BASE64 } from '../protocol/limits';
import {
  CallId,
  CallMedia,
  CallSession,
  CallSignal,
  ModerationAction,
  WireCall,
  type CallChange,
} from '../protocol/calls';
import { RoomId, UserId } from '../protocol/entities';

export { CallId, CallMedia, CallSignal, WireCall };
export type { CallChange };

export const CallSessionId = CallSession;

export const CallsSnapshot = z.object({
  me: UserId.nullable(),
  /** Running calls of the user's rooms. */
  active: z.array(WireCall),
  /** The call this app is in (main keeps it across renderer reloads and reconnects). */
  current: z
    .object({ callId: CallId, roomId: RoomId, session: CallSessionId, media: CallMedia })
    .nullable(),
  /** Calls I declined (they stop ringing here, on every window of this app). */
  declined: z.array(CallId),
  /** The last change the server reported, for ringing and notices. */
  change: z.object({ callId: CallId, kind: z.string(), userId: UserId.optional() }).nullable(),
});
export type CallsSnapshot = z.infer<typeof CallsSnapshot>;

export const CallJoinInput = z
  .object({ roomId: RoomId, media: CallMedia, session: CallSessionId })
  .strict();
export const CallRef = z.object({ callId: CallId }).strict();
export const CallSignalInput = z
  .object({ callId: CallId, to: UserId, signal: CallSignal })
  .strict();
export const CallSignalEvent = z.object({ callId: CallId, from: UserId, signal: CallSignal });
export type CallSignalEvent = z.infer<typeof CallSignalEvent>;
export const CallMediaInput = z.object({ callId: CallId, media: CallMedia }).strict();
export const CallRecordInput = z.object({ callId: CallId, recording: z.boolean() }).strict();
export const CallModerateInput = z
  .object({ callId: CallId, userId: UserId, action: ModerationAction })
  .strict();

const metric = z.number().finite().nonnegative().nullable();
/** One second of one remote participant's inbound quality, from getStats. */
export const QualitySample = z
  .object({
    peerId: UserId,
    at: z.number(),
    rttMs: metric,
    jitterMs: metric,
    lossPct: z.number().finite().min(0).max(100).nullable(),
    bitrateKbps: metric,
    fps: metric,
    width: z.number().int().nonnegative().nullable(),
    height: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type QualitySample = z.infer<typeof QualitySample>;
export const QualityInput = z
  .object({ callId: CallId, samples: z.array(QualitySample).max(600) })
  .strict();

export { MAX_RECORDING_CHUNK_BASE64 };

export const RecordingId = z.string().regex(/^rec_[0-9a-f]{24}$/);

export const RecordingParticipant = z.object({
  userId: UserId,
  name: z.string().max(200),
  joinedAt: z.number(),
  leftAt: z.number().nullable(),
});
export type RecordingParticipant = z.infer<typeof RecordingParticipant>;

export const RecordingState = z.enum(['recording', 'ready', 'failed']);
export const Recording = z.object({
  id: RecordingId,
  callId: CallId,
  roomId: RoomId,
  roomName: z.string(),
  state: RecordingState,
  mimeType: z.string(),
  videoCodec: z.string().nullable(),
  audioCodec: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  sizeBytes: z.number(),
  participants: z.array(RecordingParticipant),
  /** Where the file is on this computer. */
  path: z.string(),
  /** What the renderer plays it from (same origin as the app). */
  url: z.string(),
  error: z.string().nullable(),
});
export type Recording = z.infer<typeof Recording>;

export const RecordingStartInput = z
  .object({
    callId: CallId,
    roomId: RoomId,
    mimeType: z.string().regex(/^video\/webm(;\s*codecs="?[a-z0-9.,]+"?)?$/i),
  })
  .strict();
export const RecordingChunkInput = z
  .object({
    recordingId: RecordingId,
    seq: z.number().int().nonnegative(),
    data: z
      .string()
      .max(MAX_RECORDING_CHUNK_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();
export const RecordingStopInput = z
  .object({
    recordingId: RecordingId,
    participants: z.array(RecordingParticipant).max(100),
  })
  .strict();
export const RecordingRef = z.object({ recordingId: RecordingId }).strict();

export const ScreenSource = z.object({
  id: z.string().max(200),
  name: z.string().max(500),
  kind: z.enum(['screen', 'window']),
  /** A PNG data URL of the source's current look. */
  thumbnail: z.string().max(2 * 1024 * 1024),
});
export type ScreenSource = z.infer<typeof ScreenSource>;
export const ScreenPickRequest = z.object({
  requestId: z.string().uuid(),
  sources: z.array(ScreenSource),
});
export type ScreenPickRequest = z.infer<typeof ScreenPickRequest>;
export const ScreenChooseInput = z
  .object({ requestId: z.string().uuid(), sourceId: z.string().max(200).nullable() })
  .strict();
