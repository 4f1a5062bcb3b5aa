/** The implementation of every contract channel, in terms of the services. */
import type { AppInfo } from '../../../src-shared/ipc/types';
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { ApiHandlers } from './dispatcher';
import type { SettingsService } from '../settings/settings-service';
import type { HealthService } from '../health/health-service';
import type { ServerPins } from '../sync/server-pins';
import type { ServerConnection } from '../sync/server-connection';
import type { GlobalShortcutService } from '../shortcuts/global-shortcuts';
import type { ChatService } from '../chat/chat-service';
import type { InviteService } from '../chat/invite-service';
import type { HostingService } from '../server-host/hosting-service';
import type { LanDiscovery } from '../server-host/lan-discovery';
import type { SyncEngine } from '../sync/sync-engine';
import type { StorageUsageService } from '../storage/storage-usage';
import type { CallService } from '../calls/call-service';
import type { QualityStore } from '../calls/quality-store';
import type { ScreenPicker } from '../calls/screen-picker';
import type { RecordingService } from '../recordings/recording-service';
import type { MediaService } from '../media/media-service';
import { isProgram } from '../media/prepare-file';
import type { VoiceHistoryStore } from '../voice/voice-history';
import type { VoiceModelService } from '../voice/voice-models';
import type { DesktopShell } from '../container';
import type { AnalyticsService } from '../analytics/analytics-service';
import {
  estimateMos,
  type AnalyticsEventType,
  type EventProps,
} from '../../../src-shared/analytics/events';
import type { QualitySample } from '../../../src-shared/ipc/call-types';
import { ServerRequestError } from '../sync/server-connection';
import { createOperationsHandlers, pathFromPage, type OperationsDeps } from './operations-handlers';

/** A server refusal or an offline server, as the renderer's ApiError. */
function serverError(error: unknown): Error {
  if (error instanceof ServerRequestError)
    return error.code === 'offline'
      ? new ApiError('offline', 'You are offline; definitions are saved on the server.')
      : new ApiError('invalid_input', error.message);
  return error instanceof Error ? error : new Error(String(error));
}

export interface HandlerDeps {
  info: AppInfo;
  settings: SettingsService;
  health: HealthService;
  connection: ServerConnection;
  pins: ServerPins;
  shortcuts: GlobalShortcutService;
  chat: ChatService;
  invites: InviteService;
  hosting: HostingService;
  discovery: LanDiscovery;
  sync: SyncEngine;
  storage: StorageUsageService;
  calls: CallService;
  quality: QualityStore;
  recordings: RecordingService;
  media: MediaService;
  screenPicker: ScreenPicker;
  voiceHistory: VoiceHistoryStore;
  voiceModels: VoiceModelService;
  analytics: AnalyticsService;
  desktop: DesktopShell | null;
  /** Opens the system file manager at the file; false where the host has none. */
  revealFile(file: string): boolean;
  openFile(file: string, name: string): Promise<boolean>;
  operations: OperationsDeps;
}

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  /** Main's own usage events (kept only with consent; see AnalyticsService.record). */
  const note = <T extends AnalyticsEventType>(type: T, props: EventProps<T>) =>
    deps.analytics.record([deps.analytics.event(type, props as Record<string, unknown>)]);
  const joinedAt = new Map<string, number>();
  /** One quality event per batch of samples (about one per second per peer): the averages. */
  const noteQuality = (samples: QualitySample[]) => {
    const measured = samples.filter((s) => s.rttMs !== null);
    if (!measured.length) return;
    const mean = (pick: (s: QualitySample) => number | null) =>
      measured.reduce((sum, s) => sum + (pick(s) ?? 0), 0) / measured.length;
    const rttMs = mean((s) => s.rttMs);
    const jitterMs = mean((s) => s.jitterMs);
    const lossPct = Math.min(
      100,
      mean((s) => s.lossPct),
    );
    note('call.quality', { rttMs, jitterMs, lossPct, mos: estimateMos(rttMs, jitterMs, lossPct) });
  };

  return {
    ...createOperationsHandlers(deps.operations),
    'app.info': () => deps.info,
    'app.ping': ({ sentAt }) => ({ sentAt, at: Date.now() }),
    'settings.get': () => deps.settings.get(),
    'settings.update': (patch) => deps.settings.update(patch),
    'health.snapshot': () => deps.health.snapshot(),
    'connection.status': () => deps.connection.status(),
    'connection.reconnect': () => {
      deps.connection.reconnectNow();
      return deps.connection.status();
    },
    'connection.acceptIdentity': () => {
      const accepted = deps.connection.acceptIdentity();
      if (accepted) {
        deps.pins.set(accepted.url, accepted.serverKey);
        deps.connection.reconnectNow();
      }
      return deps.connection.status();
    },
    'hosting.status': () => {
      // Settings > Server is open: listen for colleagues' servers on the network from now on.
      deps.discovery.start();
      return deps.hosting.status();
    },
    'hosting.check': async () => {
      deps.discovery.start();
      deps.discovery.refresh();
      return deps.hosting.checkAddresses();
    },
    'shortcuts.status': () => deps.shortcuts.status(),
    'identity.get': () => deps.chat.identity(),
    'identity.create': ({ displayName }) => deps.chat.createIdentity(displayName),
    'sync.status': () => deps.sync.status(),
    'rooms.list': () => deps.chat.rooms(),
    'rooms.create': async ({ name }) => {
      const room = await deps.chat.createRoom(name);
      note('room.created', {});
      return room;
    },
    'rooms.join': async ({ code }) => {
      const room = await deps.invites.joinHere(code);
      note('room.joined', {});
      return room;
    },
    'invites.check': ({ text }) => deps.invites.check(text),
    'invites.link': ({ code, url }) => deps.invites.link(code, url),
    'invites.takeOpened': () => deps.invites.takeOpened(),
    'servers.connect': ({ url, fingerprint }) => deps.invites.connectTo(url, fingerprint),
    'invites.accept': async ({ text }) => {
      const room = await deps.invites.accept(text);
      note('room.joined', {});
      return room;
    },
    'rooms.leave': ({ roomId }) => deps.chat.leaveRoom(roomId),
    'rooms.resetInvite': ({ roomId }) => deps.chat.resetInvite(roomId),
    'rooms.markRead': ({ roomId }) => deps.chat.markRead(roomId),
    'rooms.setNotify': ({ roomId, level }) => {
      note('room.notify_set', { level });
      return deps.chat.setNotify(roomId, level);
    },
    'rooms.openDirect': ({ userId }) => deps.chat.openDirect(userId),
    'rooms.respondRequest': ({ roomId, accept }) => deps.chat.respondToRequest(roomId, accept),
    'messages.page': ({ roomId, beforeSeq, limit }) => deps.chat.page(roomId, beforeSeq, limit),
    'messages.send': ({ roomId, body, clientId, replyTo }) => {
      const message = deps.chat.send(roomId, body, clientId, replyTo);
      // What was sent is never part of it: only whether it was direct and sent offline.
      note('message.sent', {
        direct: deps.chat.rooms().find((r) => r.id === roomId)?.kind === 'direct',
        offline: !deps.sync.isReady(),
      });
      return message;
    },
    'messages.retry': ({ clientId }) => {
      const message = deps.chat.retry(clientId);
      // A message with files may still have them to upload.
      void deps.media.pump();
      return message;
    },
    'messages.search': ({ query, limit }) => deps.chat.search(query, limit),
    'messages.edit': ({ clientId, body }) => {
      note('message.edited', {});
      return deps.chat.edit(clientId, body);
    },
    'messages.delete': ({ clientId }) => {
      note('message.deleted', {});
      return deps.chat.delete(clientId);
    },
    'messages.react': ({ clientId, emoji, on }) => {
      note('message.reacted', { on });
      return deps.chat.react(clientId, emoji, on);
    },
    'files.stageStart': (input) => deps.media.stageStart(input),
    'files.stageChunk': ({ stageId, offset, data }) =>
      deps.media.stageChunk(stageId, offset, Buffer.from(data, 'base64')),
    'files.stageCancel': ({ stageId }) => deps.media.stageCancel(stageId),
    'messages.sendFiles': async ({ roomId, stageIds, body, replyTo }) => {
      if (!deps.chat.rooms().some((r) => r.id === roomId))
        throw new ApiError('not_found', 'No such room here.');
      const message = await deps.media.send(roomId, stageIds, body, replyTo);
      note('message.sent', {
        direct: deps.chat.rooms().find((r) => r.id === roomId)?.kind === 'direct',
        offline: !deps.sync.isReady(),
      });
      note('file.sent', { files: stageIds.length, image: message.files.some((f) => !!f.thumb) });
      return message;
    },
    'files.cancelUpload': ({ clientId }) => deps.media.cancelUpload(clientId),
    'files.fetch': async ({ roomId, sha256 }) => {
      await deps.media.fetch(roomId, sha256);
      return null;
    },
    'files.cancelDownload': ({ sha256 }) => deps.media.cancelDownload(sha256),
    'files.open': async ({ sha256, name }) => {
      const file = deps.media.fileFor(sha256);
      if (!file) return false;
      if (await isProgram(file, name))
        throw new ApiError(
          'forbidden',
          'Programs and scripts from a chat are not opened; save it and check it first.',
        );
      return deps.openFile(file, name);
    },
    'files.reveal': ({ sha256 }) => {
      const file = deps.media.fileFor(sha256);
      return file ? deps.revealFile(file) : false;
    },
    'rooms.typing': ({ roomId }) => deps.chat.typing(roomId),
    'drafts.get': ({ roomId }) => deps.chat.draft(roomId),
    'drafts.save': ({ roomId, body }) => deps.chat.saveDraft(roomId, body),
    'presence.set': ({ presence }) => deps.chat.setPresence(presence),
    'storage.usage': () => deps.storage.usage(),
    'storage.clear': ({ category }) => {
      // Recordings go through their service, which keeps them for Undo for a minute.
      if (category === 'recordings') deps.recordings.deleteAll();
      deps.storage.clear(category);
      return deps.storage.usage();
    },
    'calls.snapshot': () => deps.calls.snapshot(),
    'calls.join': async ({ roomId, media, session }) => {
      const call = await deps.calls.join(roomId, media, session);
      if (call.participants.length <= 1) note('call.started', {});
      note('call.joined', { participants: Math.min(100, Math.max(1, call.participants.length)) });
      joinedAt.set(call.callId, Date.now());
      return call;
    },
    'calls.leave': async ({ callId }) => {
      const left = await deps.calls.leave(callId);
      const since = joinedAt.get(callId);
      joinedAt.delete(callId);
      if (since !== undefined)
        note('call.left', { seconds: Math.round((Date.now() - since) / 1000) });
      return left;
    },
    'calls.decline': ({ callId }) => deps.calls.decline(callId),
    'calls.signal': ({ callId, to, signal }) => deps.calls.signal(callId, to, signal),
    'calls.media': ({ callId, media }) => deps.calls.media(callId, media),
    'calls.record': ({ callId, recording }) => deps.calls.record(callId, recording),
    'calls.moderate': ({ callId, userId, action }) => deps.calls.moderate(callId, userId, action),
    'calls.quality': ({ callId, samples }) => {
      deps.quality.add(callId, samples);
      noteQuality(samples);
      return null;
    },
    'recordings.list': () => deps.recordings.list(),
    'recordings.start': ({ callId, roomId, mimeType }) => {
      const started = deps.recordings.start(callId, roomId, mimeType);
      note('recording.started', {});
      return started;
    },
    'recordings.chunk': ({ recordingId, seq, data }) =>
      deps.recordings.chunk(recordingId, seq, Buffer.from(data, 'base64')),
    'recordings.stop': ({ recordingId, participants }) =>
      deps.recordings.stop(recordingId, participants),
    'recordings.deleteAll': () => deps.recordings.deleteAll(),
    'recordings.undoDelete': ({ recordingIds }) => deps.recordings.undoDelete(recordingIds),
    'recordings.delete': ({ recordingId }) => {
      deps.recordings.delete(recordingId);
      return null;
    },
    'recordings.reveal': ({ recordingId }) => {
      const file = deps.recordings.fileFor(recordingId);
      if (!file) throw new ApiError('not_found', 'That recording is not on this computer.');
      return deps.revealFile(file);
    },
    'screen.choose': ({ requestId, sourceId }) => deps.screenPicker.answer(requestId, sourceId),
    'window.control': ({ action }) => {
      const desktop = deps.desktop;
      if (!desktop)
        throw new ApiError('unavailable', 'The browser host has no app window to show or hide.');
      desktop.controlWindow(action);
      return { supported: true, visible: desktop.isWindowVisible() };
    },
    'analytics.track': ({ events }) =>
      deps.analytics.record(events.map((e) => deps.analytics.event(e.type, e.props, e.at))),
    'analytics.status': () => deps.analytics.status(),
    'analytics.dashboard': async ({ range }) => {
      const { data, ...rest } = await deps.analytics.dashboard(range);
      return { ...rest, data: data as unknown as Record<string, unknown> };
    },
    'analytics.definitions': () => deps.analytics.refreshDefinitions(),
    'analytics.define': ({ definition }) =>
      deps.analytics.define(definition).catch((error: unknown) => {
        throw serverError(error);
      }),
    'analytics.undefine': ({ key }) =>
      deps.analytics.undefine(key).catch((error: unknown) => {
        throw serverError(error);
      }),
    'analytics.variant': ({ key }) => ({
      variant: deps.analytics.variant(key, {
        platform: ['linux', 'darwin', 'win32'].includes(deps.info.platform)
          ? deps.info.platform
          : 'other',
        language: deps.settings.get().language === 'ru' ? 'ru' : 'en',
        host: deps.info.host,
      }),
    }),
    'voice.history.add': (entry) => deps.voiceHistory.add(entry),
    'voice.history.list': ({ query, limit }) => deps.voiceHistory.list(query, limit),
    'voice.history.clear': () => deps.voiceHistory.clear(),
    'voice.models.status': () => deps.voiceModels.status(),
    'voice.models.vocabulary': ({ language }) => deps.voiceModels.vocabulary(language),
    'voice.models.import': ({ language, path }) => {
      // The desktop app takes model files from its own dialog only (voice.models.choose).
      if (deps.desktop) throw pathFromPage();
      return deps.voiceModels.import(language, path);
    },
    'voice.models.choose': async ({ language }) => {
      if (!deps.desktop)
        throw new ApiError('unavailable', 'Type the path of the model in the browser host.');
      const chosen = await deps.desktop.chooseModelSource();
      return chosen ? deps.voiceModels.import(language, chosen) : null;
    },
    'voice.models.download': ({ language }) => deps.voiceModels.download(language).status,
    'voice.models.cancel': ({ language }) => deps.voiceModels.cancel(language),
    'voice.models.remove': ({ language }) => deps.voiceModels.remove(language),
    'voice.indicator': ({ state }) => {
      deps.desktop?.setVoiceIndicator(state);
      return null;
    },
  };
}
