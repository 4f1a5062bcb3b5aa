/**
 * The call this page takes part in: local media, the topology that carries it, what the
 * server says about the call, screen sharing and recording. One per page; the UI calls its
 * functions (buttons, and later voice commands, go through the same ones) and reads the store.
 *
 * Main remembers the call across reloads: on start the page asks main and, when it was in a
 * call, joins again with a fresh session, which tells the others to reconnect to it.
 */
import type {
  CallMedia,
  CallSignalEvent,
  CallsSnapshot,
  RecordingParticipant,
  WireCall,
} from '../../../src-shared/ipc/call-types';
import type { ModerationAction, WireCallParticipant } from '../../../src-shared/protocol/calls';
import { call, onEvent } from '../../lib/api';
import type { CallTopology } from '../../lib/webrtc/call-topology';
import { MeshTopology } from '../../lib/webrtc/mesh-topology';
import { CallMonitors } from './call-monitors';
import { CallRecorder } from './call-recorder';
import { getCallState, setCallState, type Notice } from './call-store';
import { adaptCapture, openCameraAndMicrophone, stopStream, switchDevice } from './local-media';

interface Active {
  callId: string;
  roomId: string;
  me: string;
  session: string;
  topology: CallTopology;
  monitors: CallMonitors;
  recorder: CallRecorder | null;
  /** Everyone seen in the call, and since when they are missing from it (null: present). */
  known: Map<string, { wire: WireCallParticipant; missingSince: number | null }>;
  /** Who was in the call during the running recording, and when (its metadata). */
  attendance: Map<string, RecordingParticipant>;
}

let active: Active | null = null;
/** Signals that arrived while joining, before `active` existed. */
let early: (CallSignalEvent & { at: number })[] = [];
let started = false;

function newSession(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

function notice(key: string, values?: Record<string, string>, tone: Notice['tone'] = 'info') {
  setCallState({ notice: { key, values, tone } });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function localMedia(): CallMedia {
  const { camera, screen, audioOn, videoOn } = getCallState();
  return {
    audio: audioOn && !!camera?.getAudioTracks().length,
    video: videoOn && !!camera?.getVideoTracks().length,
    screen: !!screen,
    cameraStreamId: camera?.id ?? null,
    screenStreamId: screen?.id ?? null,
  };
}

/** Subscribes to main's call events once per page and rejoins the call main says we were in. */
export function startCallSession(): void {
  if (started) return;
  started = true;
  onEvent('calls.changed', (snapshot) => onSnapshot(snapshot));
  onEvent('calls.signal', (event) => {
    if (active?.callId === event.callId) active.topology.receive(event.from, event.signal);
    // A peer may offer before our join's answer is back: keep it for the call we are joining.
    else if (getCallState().joining) early.push({ ...event, at: Date.now() });
  });
  void call('calls.snapshot').then(
    (snapshot) => {
      onSnapshot(snapshot);
      const current = snapshot.current;
      if (current && !active) {
        setCallState({ audioOn: current.media.audio, videoOn: current.media.video });
        void joinCall(current.roomId);
      }
    },
    () => undefined,
  );
}

export function currentCall(): WireCall | null {
  return getCallState().call;
}

/** Starts the room's call, or joins the one running there. */
export async function joinCall(roomId: string): Promise<boolean> {
  if (active?.roomId === roomId || getCallState().joining) return true;
  if (active) await leaveCall();
  setCallState({ joining: true, notice: null });
  let camera = getCallState().camera;
  if (!camera) {
    const running = getCallState().snapshot?.active.find((c) => c.roomId === roomId);
    const capture = await openCameraAndMicrophone({}, (running?.participants.length ?? 0) + 1);
    camera = capture.stream;
    if (capture.problem) notice('call.mediaFailed', { message: capture.problem }, 'error');
  }
  for (const track of camera?.getAudioTracks() ?? []) track.enabled = getCallState().audioOn;
  for (const track of camera?.getVideoTracks() ?? []) track.enabled = getCallState().videoOn;
  setCallState({ camera });
  const session = newSession();
  try {
    const joined = await call('calls.join', { roomId, media: localMedia(), session });
    const me = getCallState().snapshot?.me ?? (await call('identity.get'))?.userId;
    if (!me) throw new Error('no identity');
    const topology = new MeshTopology({
      me,
      // active.callId, not joined.callId: after a server restart the call has a new id.
      send: (to, signal) =>
        call('calls.signal', { callId: active?.callId ?? joined.callId, to, signal }),
      onError: (what, error) => console.warn('call link problem', what, error),
    });
    active = {
      callId: joined.callId,
      roomId,
      me,
      session,
      topology,
      monitors: new CallMonitors(() => active?.callId ?? joined.callId, me, topology),
      recorder: null,
      known: new Map(),
      attendance: new Map(),
    };
    topology.onChange(() => {
      setCallState({ remotes: topology.remotes() });
      updateRecorderSources();
    });
    topology.setLocalMedia({ camera, screen: getCallState().screen });
    applyCall(joined);
    const waiting = early.filter((e) => e.callId === joined.callId && Date.now() - e.at < 10_000);
    early = [];
    for (const e of waiting) topology.receive(e.from, e.signal);
    return true;
  } catch (error) {
    notice('call.failed', { message: errorText(error) }, 'error');
    return false;
  } finally {
    setCallState({ joining: false });
  }
}

export async function leaveCall(): Promise<void> {
  const leaving = active;
  if (!leaving) return;
  await teardown();
  await call('calls.leave', { callId: leaving.callId }).catch(() => undefined);
}

export async function declineCall(callId: string): Promise<void> {
  await call('calls.decline', { callId }).catch(() => undefined);
}

export function toggleMute(): void {
  const state = getCallState();
  const me = state.call?.participants.find((p) => p.userId === active?.me);
  if (!state.audioOn && me?.forcedMute) {
    notice('call.mutedByOwner');
    return;
  }
  const audioOn = !state.audioOn;
  for (const track of state.camera?.getAudioTracks() ?? []) track.enabled = audioOn;
  setCallState({ audioOn });
  announce();
}

export function toggleCamera(): void {
  const state = getCallState();
  const videoOn = !state.videoOn;
  for (const track of state.camera?.getVideoTracks() ?? []) track.enabled = videoOn;
  setCallState({ videoOn });
  announce();
}

export async function startScreenShare(): Promise<void> {
  if (!active || getCallState().screen) return;
  try {
    const screen = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: 15 },
      audio: false,
    });
    screen.getVideoTracks()[0]?.addEventListener('ended', () => void stopScreenShare());
    setCallState({ screen });
    active.topology.setLocalMedia({ camera: getCallState().camera, screen });
    announce();
    updateRecorderSources();
  } catch (error) {
    if ((error as Error).name !== 'NotAllowedError')
      notice('call.shareFailed', { message: errorText(error) }, 'error');
  }
}

export async function stopScreenShare(): Promise<void> {
  const screen = getCallState().screen;
  if (!screen) return;
  stopStream(screen);
  setCallState({ screen: null });
  active?.topology.setLocalMedia({ camera: getCallState().camera, screen: null });
  announce();
  updateRecorderSources();
}

export async function chooseDevice(
  kind: 'audioinput' | 'videoinput' | 'audiooutput',
  deviceId: string,
) {
  if (kind === 'audiooutput') {
    setCallState({ sinkId: deviceId });
    return;
  }
  const camera = getCallState().camera;
  if (!camera) return;
  try {
    await switchDevice(camera, kind === 'audioinput' ? 'audio' : 'video', deviceId);
    active?.topology.setLocalMedia({ camera, screen: getCallState().screen });
    announce();
  } catch (error) {
    notice('call.mediaFailed', { message: errorText(error) }, 'error');
  }
}

export async function moderate(userId: string, action: ModerationAction): Promise<void> {
  if (!active) return;
  await call('calls.moderate', { callId: active.callId, userId, action }).catch((error) =>
    notice('call.actionFailed', { message: errorText(error) }, 'error'),
  );
}

export async function startRecording(): Promise<void> {
  if (!active || active.recorder || getCallState().recordingBusy) return;
  const current = active;
  setCallState({ recordingBusy: true });
  try {
    current.recorder = await CallRecorder.start(current.callId, current.roomId, (error) => {
      notice('call.recordFailed', { message: error.message }, 'error');
      void stopRecording();
    });
    // The recording's participants: who is here now, and whoever comes while it runs.
    current.attendance = new Map(
      (getCallState().call?.participants ?? []).map((p) => [
        p.userId,
        { userId: p.userId, name: p.name, joinedAt: p.joinedAt, leftAt: null },
      ]),
    );
    updateRecorderSources();
    await call('calls.record', { callId: current.callId, recording: true });
    setCallState({ recordingHere: true });
  } catch (error) {
    notice('call.recordFailed', { message: errorText(error) }, 'error');
  } finally {
    setCallState({ recordingBusy: false });
  }
}

export async function stopRecording(): Promise<void> {
  const current = active;
  const recorder = current?.recorder;
  if (!current || !recorder) return;
  current.recorder = null;
  setCallState({ recordingBusy: true });
  try {
    // The recorder stops first, then the others are told: the indicator never shows "not
    // recording" while media is still being recorded.
    const finishing = recorder.stop([...current.attendance.values()]);
    await call('calls.record', { callId: current.callId, recording: false }).catch(() => undefined);
    const recording = await finishing;
    if (recording.state === 'failed')
      notice('call.recordFailed', { message: recording.error ?? '' }, 'error');
    else notice('call.recordSaved', { name: recording.roomName });
  } catch (error) {
    notice('call.recordFailed', { message: errorText(error) }, 'error');
  } finally {
    setCallState({ recordingHere: false, recordingBusy: false });
  }
}

function announce(): void {
  if (!active) return;
  call('calls.media', { callId: active.callId, media: localMedia() }).catch(() => undefined);
}

function updateRecorderSources(): void {
  if (!active?.recorder) return;
  const state = getCallState();
  const names = new Map(state.call?.participants.map((p) => [p.userId, p.name]));
  active.recorder.setSources([
    { id: active.me, name: names.get(active.me) ?? '', camera: state.camera, screen: state.screen },
    ...state.remotes.map((r) => ({
      id: r.userId,
      name: names.get(r.userId) ?? '',
      camera: r.camera,
      screen: r.screen,
    })),
  ]);
}

function onSnapshot(snapshot: CallsSnapshot): void {
  setCallState({ snapshot });
  if (!active) return;
  // Main is the judge of whether we are still in the call (it keeps it across reconnects).
  const current = snapshot.current;
  if (!current || current.roomId !== active.roomId || current.session !== active.session) {
    const removed = snapshot.change?.kind === 'removed' && snapshot.change.userId === active.me;
    void teardown().then(() => notice(removed ? 'call.removed' : 'call.ended'));
    return;
  }
  // A restarted server knows no calls: main joined again and the call has a new id.
  if (current.callId !== active.callId) active.callId = current.callId;
  const mine = snapshot.active.find((c) => c.callId === current.callId);
  if (!mine || !mine.participants.some((p) => p.userId === active!.me)) return; // resuming
  applyCall(mine);
}

/** Peers missing from the call without having left it (a restarted server) keep their link this long. */
const LINGER_MS = 15_000;

function applyCall(wire: WireCall): void {
  if (!active) return;
  const me = active.me;
  const now = Date.now();
  for (const p of wire.participants) {
    const seen = active.attendance.get(p.userId);
    if (!seen || seen.leftAt !== null)
      active.attendance.set(p.userId, {
        userId: p.userId,
        name: p.name,
        joinedAt: seen?.joinedAt ?? p.joinedAt,
        leftAt: null,
      });
  }
  for (const [userId, seen] of active.attendance)
    if (seen.leftAt === null && !wire.participants.some((p) => p.userId === userId))
      active.attendance.set(userId, { ...seen, leftAt: now });

  const self = wire.participants.find((p) => p.userId === me);
  if (self?.forcedMute && getCallState().audioOn) {
    for (const track of getCallState().camera?.getAudioTracks() ?? []) track.enabled = false;
    setCallState({ audioOn: false });
    notice('call.mutedByOwner');
  }
  void adaptCapture(getCallState().camera, wire.participants.length);
  // Whoever vanished without leaving (their rejoin after a server restart is on its way) keeps
  // their connection and tile for a while: the media between us still flows.
  const change = getCallState().snapshot?.change;
  for (const p of wire.participants) active.known.set(p.userId, { wire: p, missingSince: null });
  for (const [userId, entry] of active.known) {
    if (wire.participants.some((p) => p.userId === userId)) continue;
    const departed =
      change?.userId === userId && ['left', 'removed', 'ended'].includes(change.kind);
    entry.missingSince ??= now;
    if (departed || now - entry.missingSince > LINGER_MS) active.known.delete(userId);
  }
  const shown = [...active.known.values()].map((e) =>
    e.missingSince === null ? e.wire : { ...e.wire, reconnecting: true },
  );
  active.topology.setPeers(
    shown
      .filter((p) => p.userId !== me)
      .map((p) => ({ userId: p.userId, session: p.session, media: p.media })),
  );
  const pinned = getCallState().pinned;
  setCallState({
    call: { ...wire, participants: shown },
    remotes: active.topology.remotes(),
    pinned: pinned && wire.participants.some((p) => p.userId === pinned) ? pinned : null,
  });
  updateRecorderSources();
}

async function teardown(): Promise<void> {
  const ending = active;
  if (!ending) return;
  if (ending.recorder) await stopRecording();
  active = null;
  ending.monitors.stop();
  ending.topology.close();
  const { camera, screen } = getCallState();
  stopStream(camera);
  stopStream(screen);
  setCallState({
    call: null,
    camera: null,
    screen: null,
    remotes: [],
    speaker: null,
    pinned: null,
    quality: {},
    recordingHere: false,
  });
}
