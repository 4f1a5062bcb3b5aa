/**
 * What the wire protocol says about calls: the call and its participants as the server sees
 * them, and the signaling payloads (session descriptions, ICE candidates) it relays between
 * peers. The server checks their shape so that garbage never reaches another user's
 * RTCPeerConnection; the receiving browser is still the final judge of an SDP.
 */
import * as z from 'zod';
import { RoomId, UserId } from './entities';

export const CallId = z.string().regex(/^c_[0-9a-f]{24}$/);
export { MAX_MESH_PARTICIPANTS, RING_TIMEOUT_MS } from './limits';
export { ringingCalls } from './ringing';
/** A participant whose connection dropped stays in the call this long, waiting to resume. */
export const RESUME_GRACE_MS = 20_000;
export const MAX_SDP_CHARS = 48 * 1024;

/** Stream ids (the a=msid of the SDP) tell receivers which incoming track is camera or screen. */
const StreamId = z.string().regex(/^[A-Za-z0-9{}_-]{1,64}$/);

/** One page load of a participant's call UI; a new one means "connect to me afresh". */
export const CallSession = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const CallMedia = z
  .object({
    audio: z.boolean(),
    video: z.boolean(),
    screen: z.boolean(),
    cameraStreamId: StreamId.nullable(),
    screenStreamId: StreamId.nullable(),
  })
  .strict();
export type CallMedia = z.infer<typeof CallMedia>;

export const WireCallParticipant = z.object({
  userId: UserId,
  name: z.string(),
  joinedAt: z.number(),
  session: CallSession,
  media: CallMedia,
  /** Muted by the room owner: receivers do not play this participant's audio. */
  forcedMute: z.boolean(),
  /** Connection lost; kept for RESUME_GRACE_MS while media may still flow. */
  reconnecting: z.boolean(),
});
export type WireCallParticipant = z.infer<typeof WireCallParticipant>;

export const CallTopology = z.enum(['mesh']);
export type CallTopology = z.infer<typeof CallTopology>;

export const WireCall = z.object({
  callId: CallId,
  roomId: RoomId,
  /** The room's owner, who may mute or remove participants. */
  ownerId: UserId.nullable(),
  startedBy: UserId,
  startedAt: z.number(),
  /** Zero participants: the call has ended. */
  participants: z.array(WireCallParticipant),
  recording: z.object({ by: UserId, since: z.number() }).nullable(),
  topology: CallTopology,
  /** Removed by the owner, who alone may let them back in (`allow`); they cannot rejoin. */
  removed: z.array(z.object({ userId: UserId, name: z.string() })).default([]),
});
export type WireCall = z.infer<typeof WireCall>;

export const CallChange = z.object({
  kind: z.enum(['started', 'joined', 'left', 'removed', 'declined', 'updated', 'ended']),
  userId: UserId.optional(),
});
export type CallChange = z.infer<typeof CallChange>;

const SDP_LINE = /^[a-z]=[^\r\n]*$/;

/** An SDP must look like one: `v=0` first and `x=value` lines; `rollback` carries none. */
export function sdpProblem(type: string, sdp: string): string | null {
  if (type === 'rollback') return null;
  if (!sdp.startsWith('v=0')) return 'an SDP starts with v=0';
  const lines = sdp.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const bad = lines.findIndex((line) => !SDP_LINE.test(line));
  if (bad >= 0) return `SDP line ${bad + 1} is not of the form x=value`;
  if (!lines.some((line) => line.startsWith('m='))) return 'an SDP needs at least one m= section';
  return null;
}

export const SessionDescription = z
  .object({
    type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
    sdp: z.string().max(MAX_SDP_CHARS),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = sdpProblem(d.type, d.sdp);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['sdp'] });
  });

export const IceCandidate = z
  .object({
    /** Empty string: end of candidates. */
    candidate: z
      .string()
      .max(1024)
      .refine((c) => c === '' || c.startsWith('candidate:'), 'not an ICE candidate line'),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  })
  .strict();

export const CallSignal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: SessionDescription }).strict(),
  z.object({ kind: z.literal('candidate'), candidate: IceCandidate }).strict(),
]);
export type CallSignal = z.infer<typeof CallSignal>;

/**
 * What the room owner may do to a participant. A forced mute and a removal hold for the rest of
 * the call (leaving and joining again does not undo them); `unmute` and `allow` lift them.
 */
export const ModerationAction = z.enum(['mute', 'unmute', 'remove', 'allow']);
export type ModerationAction = z.infer<typeof ModerationAction>;
