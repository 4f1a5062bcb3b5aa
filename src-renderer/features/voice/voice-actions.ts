/**
 * What each voice command does, through the same functions the buttons call: the call session's
 * controls, the screens' navigation, the chats' search and composer (via ui-intents), the API.
 */
import { call } from '../../lib/api';
import { SCREENS, type ScreenId } from '../../app/screens';
import {
  declineCall,
  joinCall,
  leaveCall,
  startRecording,
  startScreenShare,
  stopRecording,
  stopScreenShare,
  toggleCamera,
  toggleMute,
} from '../call/call-session';
import { getCallState } from '../call/call-store';
import { ringingCalls } from '../../../src-shared/protocol/ringing';
import {
  getUiIntents,
  requestSearch,
  roomAfter,
  selectRoom,
  setOutputVolume,
} from '../../lib/ui-intents';
import type { CommandArgs } from './command-matcher';
import type { ActionOutcome } from './voice-controller';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';

export interface ActionHost {
  stopListening(): void;
  /** Reads text aloud in the voice language; resolves when done (or at once if it cannot). */
  speak(text: string): Promise<void>;
}

const done = (message: string, values?: Record<string, string>, undo?: () => unknown) => ({
  ok: true,
  message,
  values,
  undo,
});
const failed = (message: string, values?: Record<string, string>): ActionOutcome => ({
  ok: false,
  message,
  values,
});

export function navigate(screen: ScreenId): void {
  location.hash = `#/${screen}`;
}

function currentScreen(): ScreenId {
  const id = location.hash.replace(/^#\/?/, '');
  return (SCREENS as readonly string[]).includes(id) ? (id as ScreenId) : 'chats';
}

async function rooms(): Promise<RoomSummary[]> {
  return call('rooms.list', undefined);
}

function ringingCall() {
  const { snapshot } = getCallState();
  if (!snapshot) return null;
  const ringing = ringingCalls(snapshot.active, snapshot.me, {
    inCall: !!snapshot.current,
    declined: snapshot.declined,
    now: Date.now(),
  });
  return ringing[0] ?? null;
}

const VOLUME_STEP = 0.2;

export async function runVoiceAction(
  id: string,
  args: CommandArgs,
  host: ActionHost,
): Promise<ActionOutcome> {
  const [category, name] = id.split('.') as [string, string];
  if (category === 'navigation') {
    if (name === 'nextRoom' || name === 'previousRoom') {
      const list = await rooms();
      if (list.length === 0) return failed('voice.outcome.noRooms');
      const next = roomAfter(list, name === 'nextRoom' ? 1 : -1)!;
      const previous = getUiIntents().selectedRoomId;
      selectRoom(next.id);
      navigate('chats');
      return done('voice.outcome.openedRoom', { name: next.name }, () => selectRoom(previous));
    }
    const previous = currentScreen();
    navigate(name as ScreenId);
    return done('voice.outcome.opened', { screen: name }, () => navigate(previous));
  }
  switch (id) {
    case 'system.mute':
    case 'system.unmute':
    case 'communication.cameraOn':
    case 'communication.cameraOff': {
      if (!getCallState().call) return failed('voice.outcome.notInCall');
      const toggle = id.startsWith('system') ? toggleMute : toggleCamera;
      toggle();
      return done(`voice.outcome.${name}`, undefined, toggle);
    }
    case 'system.volumeUp':
    case 'system.volumeDown': {
      const before = getUiIntents().outputVolume;
      setOutputVolume(before + (id === 'system.volumeUp' ? VOLUME_STEP : -VOLUME_STEP));
      const after = getUiIntents().outputVolume;
      return done('voice.outcome.volume', { percent: String(Math.round(after * 100)) }, () =>
        setOutputVolume(before),
      );
    }
    case 'system.stopListening':
      host.stopListening();
      return done('voice.outcome.stopped');
    case 'system.showWindow':
    case 'system.hideWindow': {
      const action = id === 'system.showWindow' ? 'show' : 'hide';
      try {
        await call('window.control', { action });
      } catch {
        return failed('voice.outcome.noWindow');
      }
      return done(`voice.outcome.${action}Window`, undefined, () =>
        call('window.control', { action: action === 'show' ? 'hide' : 'show' }),
      );
    }
    case 'system.help':
      navigate('voice');
      return done('voice.outcome.help');
    case 'content.search':
      requestSearch(args.text ?? '');
      navigate('chats');
      return done('voice.outcome.searched', { query: args.text ?? '' });
    case 'content.readLast': {
      const list = await rooms();
      const room = list.find((r) => r.id === getUiIntents().selectedRoomId) ?? list[0];
      if (!room) return failed('voice.outcome.noRooms');
      const page = await call('messages.page', { roomId: room.id, limit: 1 });
      const last = page.messages.at(-1);
      if (!last) return failed('voice.outcome.noMessages', { name: room.name });
      await host.speak(`${last.senderName}: ${last.body}`);
      return done('voice.outcome.readLast', { name: room.name });
    }
    case 'content.dictationStart':
      navigate('chats');
      return done('voice.outcome.dictating');
    case 'content.dictationStop':
      return done('voice.outcome.dictationStopped');
    case 'communication.call': {
      const target = (args.target ?? '').toLowerCase();
      const room = (await rooms()).find((r) => r.name.toLowerCase() === target);
      if (!room) return failed('voice.outcome.noSuchRoom', { name: args.target ?? '' });
      const ok = await joinCall(room.id);
      if (ok) navigate('call');
      return ok
        ? done('voice.outcome.calling', { name: room.name })
        : failed('voice.outcome.callFailed');
    }
    case 'communication.answer': {
      const ringing = ringingCall();
      if (!ringing) return failed('voice.outcome.nothingRinging');
      const ok = await joinCall(ringing.roomId);
      if (ok) navigate('call');
      return ok ? done('voice.outcome.answered') : failed('voice.outcome.callFailed');
    }
    case 'communication.decline': {
      const ringing = ringingCall();
      if (!ringing) return failed('voice.outcome.nothingRinging');
      await declineCall(ringing.callId);
      return done('voice.outcome.declined');
    }
    case 'communication.hangup':
      await leaveCall();
      return done('voice.outcome.hungUp');
    case 'communication.shareScreen':
      await startScreenShare();
      return getCallState().screen
        ? done('voice.outcome.sharing')
        : failed('voice.outcome.shareFailed');
    case 'communication.stopSharing':
      await stopScreenShare();
      return done('voice.outcome.sharingStopped');
    case 'communication.recordStart':
      await startRecording();
      return getCallState().recordingHere
        ? done('voice.outcome.recording')
        : failed('voice.outcome.recordFailed');
    case 'communication.recordStop':
      await stopRecording();
      return done('voice.outcome.recordingStopped');
    default:
      return failed('voice.outcome.unknown', { id });
  }
}
