/**
 * The IPC contract: every call the renderer can make into main, and every event main pushes to
 * the renderer, each with its zod schemas. Main's handlers, the preload's client and the
 * renderer's types are all derived from these two objects; no channel name is written twice.
 */
import * as z from 'zod';
import { AnalyticsDefinition } from '../analytics/definitions';
import {
  AnalyticsStatus,
  DashboardInput,
  DashboardReply,
  DefineInput,
  RecordResult,
  TrackInput,
  UndefineInput,
  VariantInput,
  VariantReply,
} from './analytics-types';
import { SettingsPatchSchema, SettingsSchema } from '../settings';
import {
  AppInfo,
  ConnectionStatus,
  HealthSnapshot,
  HostingStatus,
  InviteCheck,
  InviteLinkInfo,
  KeystoreStatus,
  ShortcutStatusList,
} from './types';
import {
  BackupExportInput,
  BackupInfo,
  BackupRef,
  BackupsStatus,
  FilePathInput,
  HealthReport,
  Incident,
  IncidentExportInput,
  IncidentNoteInput,
  RendererHealthInput,
} from './operations-types';
import {
  Identity,
  IdentityCreateInput,
  LocalMessage,
  MessagePage,
  MessagePageInput,
  MessagesChanged,
  MessageNotice,
  NotifyLevel,
  BlobRef,
  FileProgress,
  SendFilesInput,
  StageChunkInput,
  StageId,
  StageStartInput,
  RoomCreateInput,
  RoomJoinInput,
  RoomRef,
  RoomSummary,
  SearchHit,
  SearchInput,
  DraftInput,
  EditInput,
  ReactInput,
  SendInput,
  StorageCategory,
  StorageUsage,
  SyncStatus,
  UserId,
} from './chat-types';
import { ClientMessageId, InviteCode, OwnPresence, RoomId, Sha256 } from '../protocol/entities';
import {
  CallJoinInput,
  CallMediaInput,
  CallModerateInput,
  CallRecordInput,
  CallRef,
  CallSignalEvent,
  CallSignalInput,
  CallsSnapshot,
  QualityInput,
  Recording,
  RecordingChunkInput,
  RecordingId,
  RecordingRef,
  RecordingStartInput,
  RecordingStopInput,
  ScreenChooseInput,
  ScreenPickRequest,
  WireCall,
} from './call-types';
import {
  VoiceHistoryEntry,
  VoiceHistoryInput,
  VoiceHistoryQuery,
  VoiceHotkey,
  VoiceIndicatorState,
  VoiceLanguageRef,
  VoiceModelImportInput,
  VoiceModelStatus,
  WindowAction,
  WindowStatus,
} from './voice-types';

const none = z.undefined();
/** An invite as pasted or opened: a code, or a beseda://join/… link. */
const InviteInput = z.object({ text: z.string().min(1).max(500) }).strict();

export const channels = {
  'app.info': { input: none, output: AppInfo },
  /** Echo, for round-trip measurement and liveness checks. */
  'app.ping': {
    input: z.object({ sentAt: z.number() }).strict(),
    output: z.object({ sentAt: z.number(), at: z.number() }),
  },
  'settings.get': { input: none, output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
  'health.snapshot': { input: none, output: HealthSnapshot },
  /** The sampled history (charts) and the state of every health rule. */
  'health.report': { input: none, output: HealthReport },
  /** The renderer's own memory, every few seconds (the browser host cannot see the page). */
  'health.renderer': { input: RendererHealthInput, output: z.null() },
  'keystore.status': { input: none, output: KeystoreStatus },
  'keystore.unlock': {
    input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    output: KeystoreStatus,
  },
  /** Adds or changes the passphrase; where the system does not protect, it replaces it. */
  'keystore.setPassphrase': {
    input: z.object({ passphrase: z.string().min(8).max(1024) }).strict(),
    output: KeystoreStatus,
  },
  /** Starts over with new secrets: the identity must be registered again. */
  'keystore.reset': {
    input: z.object({ confirm: z.literal(true) }).strict(),
    output: KeystoreStatus,
  },
  'backups.status': { input: none, output: BackupsStatus },
  /** "Back up now": resolves when the backup is written and verified. */
  'backups.create': { input: none, output: BackupInfo },
  'backups.verify': { input: BackupRef, output: BackupInfo },
  /** Copies a backup (still sealed) to a file; the desktop app asks where with its dialog. */
  'backups.export': { input: BackupExportInput, output: z.object({ path: z.string() }).nullable() },
  /** Replaces the local database with a backup; progress arrives as `backups.changed`. */
  'backups.restore': { input: BackupRef, output: BackupsStatus },
  /** Restores from a backup file (exported earlier); null when the dialog was cancelled. */
  'backups.restoreFile': { input: FilePathInput, output: BackupsStatus.nullable() },
  'incidents.list': { input: none, output: z.array(Incident) },
  'incidents.acknowledge': { input: IncidentNoteInput, output: Incident },
  'incidents.resolve': { input: IncidentNoteInput, output: Incident },
  /** The whole incident log as a Markdown or JSON report (the renderer saves it). */
  'incidents.export': { input: IncidentExportInput, output: z.string() },
  'connection.status': { input: none, output: ConnectionStatus },
  'connection.reconnect': { input: none, output: ConnectionStatus },
  /** Trusts the identity the server showed instead of the pinned one (status.identityProblem). */
  'connection.acceptIdentity': { input: none, output: ConnectionStatus },
  /** "Let others join this computer": addresses, reachability, announcement, servers found. */
  'hosting.status': { input: none, output: HostingStatus },
  /** Checks each address again and asks the local network for servers again. */
  'hosting.check': { input: none, output: HostingStatus },
  'shortcuts.status': { input: none, output: ShortcutStatusList },
  'identity.get': { input: none, output: Identity.nullable() },
  /** First start: creates the key pair in main; later: changes the display name. */
  'identity.create': { input: IdentityCreateInput, output: Identity },
  'sync.status': { input: none, output: SyncStatus },
  'rooms.list': { input: none, output: z.array(RoomSummary) },
  'rooms.create': { input: RoomCreateInput, output: RoomSummary },
  /** Accepts a bare invite code or a link for a room on the server the app is on. */
  'rooms.join': { input: RoomJoinInput, output: RoomSummary },
  /** What an invite names; for another server, who answers there (asked before connecting). */
  'invites.check': { input: InviteInput, output: InviteCheck },
  /**
   * Joins an invite's room; one for another server moves the app there first (kept in settings,
   * the previous server remembered) and waits for the sign-in.
   */
  'invites.accept': { input: InviteInput, output: RoomSummary },
  /** A beseda:// link the system opened the app with (null: none waiting); taken once. */
  'invites.takeOpened': { input: none, output: z.string().nullable() },
  /** The link to share for a room's code (naming this server when others can reach it). */
  'invites.link': {
    input: z
      .object({
        code: InviteCode,
        /** While hosting: which of this computer's addresses the link names (else the first). */
        url: z.string().max(300).optional(),
      })
      .strict(),
    output: InviteLinkInfo,
  },
  /** Connects to a server found on the local network, pinning the fingerprint it announced. */
  'servers.connect': {
    input: z
      .object({ url: z.string().min(1).max(300), fingerprint: z.string().min(40).max(60) })
      .strict(),
    output: ConnectionStatus,
  },
  'rooms.leave': { input: RoomRef, output: RoomRef },
  /** Room owner only: a new invite code; the old one is refused from now on as revoked. */
  'rooms.resetInvite': { input: RoomRef, output: RoomSummary },
  'rooms.markRead': { input: RoomRef, output: z.null() },
  /** When a room notifies this app: every message, mentions only, or never. */
  'rooms.setNotify': {
    input: z.object({ roomId: RoomId, level: NotifyLevel }).strict(),
    output: RoomSummary,
  },
  'rooms.openDirect': { input: z.object({ userId: UserId }).strict(), output: RoomSummary },
  /** Accepts a direct conversation request, or blocks its sender (null: the room is gone). */
  'rooms.respondRequest': {
    input: z.object({ roomId: RoomId, accept: z.boolean() }).strict(),
    output: RoomSummary.nullable(),
  },
  'messages.page': { input: MessagePageInput, output: MessagePage },
  'messages.send': { input: SendInput, output: LocalMessage },
  'messages.retry': {
    input: z.object({ clientId: ClientMessageId }).strict(),
    output: LocalMessage,
  },
  'messages.search': { input: SearchInput, output: z.array(SearchHit) },
  /** One's own message gets a new text (works offline; applied in the room's order). */
  'messages.edit': { input: EditInput, output: LocalMessage },
  /** Deletes a message for everyone: one's own, or any in a room one owns. */
  'messages.delete': {
    input: z.object({ clientId: ClientMessageId }).strict(),
    output: LocalMessage,
  },
  'messages.react': { input: ReactInput, output: LocalMessage },
  /** Attaching a file: announce it, send its bytes in order, then send it (or cancel). */
  'files.stageStart': { input: StageStartInput, output: z.object({ stageId: StageId }) },
  'files.stageChunk': { input: StageChunkInput, output: z.object({ bytes: z.number() }) },
  'files.stageCancel': { input: z.object({ stageId: StageId }).strict(), output: z.null() },
  /**
   * Sends staged files as a message: images are cleaned of metadata and get a thumbnail; it shows
   * at once and is sent once its files are uploaded (progress: `files.progress`).
   */
  'messages.sendFiles': { input: SendFilesInput, output: LocalMessage },
  /** Stops a message's upload (it stays, failed, with Retry); false when none was running. */
  'files.cancelUpload': {
    input: z.object({ clientId: ClientMessageId }).strict(),
    output: z.boolean(),
  },
  /** Downloads a room's file (or thumbnail) into the media cache; resolves when it is here. */
  'files.fetch': { input: BlobRef, output: z.null() },
  'files.cancelDownload': { input: z.object({ sha256: Sha256 }).strict(), output: z.boolean() },
  /**
   * Opens a downloaded file with the system's application for it; false where the host cannot.
   * Programs and scripts are refused (`forbidden`): they are saved, never run from the chat.
   */
  'files.open': {
    input: z.object({ sha256: Sha256, name: z.string().min(1).max(255) }).strict(),
    output: z.boolean(),
  },
  /** Shows a downloaded file in the system's file manager; false where the host cannot. */
  'files.reveal': { input: z.object({ sha256: Sha256 }).strict(), output: z.boolean() },
  /** I am typing in this room (the renderer sends it at most every few seconds). */
  'rooms.typing': { input: RoomRef, output: z.null() },
  /** What was typed in a room and not sent, kept across room switches and restarts. */
  'drafts.get': { input: RoomRef, output: z.string() },
  /** Keeps a room's draft; an empty one is forgotten. */
  'drafts.save': { input: DraftInput, output: z.null() },
  'presence.set': { input: z.object({ presence: OwnPresence }).strict(), output: z.null() },
  'storage.usage': { input: none, output: StorageUsage },
  /** Empties a category except what is pending or pinned; answers with the new usage. */
  'storage.clear': {
    input: z.object({ category: StorageCategory }).strict(),
    output: StorageUsage,
  },
  /** Running calls of my rooms and the one this app is in. */
  'calls.snapshot': { input: none, output: CallsSnapshot },
  /** Joins the room's call or starts one (the others are rung). */
  'calls.join': { input: CallJoinInput, output: WireCall },
  'calls.leave': { input: CallRef, output: z.null() },
  'calls.decline': { input: CallRef, output: z.null() },
  /** Relays an SDP or ICE candidate to one other participant. */
  'calls.signal': { input: CallSignalInput, output: z.null() },
  /** Announces what I send (microphone, camera, screen) and which stream is which. */
  'calls.media': { input: CallMediaInput, output: z.null() },
  /** Tells everyone in the call that it is (or no longer is) being recorded by me. */
  'calls.record': { input: CallRecordInput, output: z.null() },
  /** Room owner: mute, unmute or remove a participant. */
  'calls.moderate': { input: CallModerateInput, output: z.null() },
  'calls.quality': { input: QualityInput, output: z.null() },
  'recordings.list': { input: none, output: z.array(Recording) },
  'recordings.start': { input: RecordingStartInput, output: Recording },
  /** One piece of MediaRecorder output, in order; written to disk at once. */
  'recordings.chunk': {
    input: RecordingChunkInput,
    output: z.object({ bytes: z.number() }),
  },
  /** Finishes the file (seekable, with its duration) and stores its metadata. */
  'recordings.stop': { input: RecordingStopInput, output: Recording },
  /** Deletes a recording; `recordings.undoDelete` can bring it back for a minute. */
  'recordings.delete': { input: RecordingRef, output: z.null() },
  /** Deletes every recording that is not running; answers their ids (for Undo). */
  'recordings.deleteAll': { input: none, output: z.array(RecordingId) },
  /** Brings back recordings deleted in the last minute; answers how many came back. */
  'recordings.undoDelete': {
    input: z.object({ recordingIds: z.array(RecordingId).max(10_000) }).strict(),
    output: z.number().int(),
  },
  /** Shows the file in the system's file manager; false where the host cannot. */
  'recordings.reveal': { input: RecordingRef, output: z.boolean() },
  /** The answer to a `screen.pick` event (Electron's picker); null cancels. */
  'screen.choose': { input: ScreenChooseInput, output: z.boolean() },
  /** Show or hide the app window (voice commands, tray); unsupported in the browser host. */
  'window.control': { input: WindowAction, output: WindowStatus },
  'voice.history.add': { input: VoiceHistoryInput, output: VoiceHistoryEntry },
  'voice.history.list': { input: VoiceHistoryQuery, output: z.array(VoiceHistoryEntry) },
  'voice.history.clear': { input: none, output: z.number() },
  'voice.models.status': { input: none, output: z.array(VoiceModelStatus) },
  /** The model's vocabulary (graph/words.txt), for checking wake phrases. */
  'voice.models.vocabulary': { input: VoiceLanguageRef, output: z.array(z.string()) },
  /** Imports a model folder, .zip or .tar.gz from a path on this computer. */
  'voice.models.import': { input: VoiceModelImportInput, output: VoiceModelStatus },
  /** Electron: asks for the file or folder with the system dialog; null when cancelled. */
  'voice.models.choose': { input: VoiceLanguageRef, output: VoiceModelStatus.nullable() },
  /** Starts or resumes the official download; progress arrives as `voice.models.changed`. */
  'voice.models.download': { input: VoiceLanguageRef, output: VoiceModelStatus },
  'voice.models.cancel': { input: VoiceLanguageRef, output: VoiceModelStatus },
  'voice.models.remove': { input: VoiceLanguageRef, output: VoiceModelStatus },
  /** The renderer's listening state, for the tray icon. */
  'voice.indicator': { input: z.object({ state: VoiceIndicatorState }).strict(), output: z.null() },
  /** Usage events; nothing is kept unless the user agreed (settings.analyticsConsent). */
  'analytics.track': { input: TrackInput, output: RecordResult },
  'analytics.status': { input: none, output: AnalyticsStatus },
  'analytics.dashboard': { input: DashboardInput, output: DashboardReply },
  'analytics.definitions': { input: none, output: z.array(AnalyticsDefinition) },
  'analytics.define': { input: DefineInput, output: z.array(AnalyticsDefinition) },
  'analytics.undefine': { input: UndefineInput, output: z.array(AnalyticsDefinition) },
  /** The user's variant of an experiment used as a feature flag (null: the default UI). */
  'analytics.variant': { input: VariantInput, output: VariantReply },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  'settings.changed': SettingsSchema,
  'connection.changed': ConnectionStatus,
  'shortcuts.changed': ShortcutStatusList,
  'identity.changed': Identity,
  'sync.changed': SyncStatus,
  /** The whole room list (names, unread counts, members and presence) after any change. */
  'rooms.changed': z.array(RoomSummary),
  /** Messages of one room that were added or changed state. */
  'messages.changed': MessagesChanged,
  /** Someone else is typing in a room; shown for a few seconds unless it comes again. */
  'typing.changed': z.object({ roomId: RoomId, userId: UserId }),
  /** How far an upload (by message) or a download (by file) has come. */
  'files.progress': FileProgress,
  /** A message to notify about (level and do-not-disturb already applied in main). */
  'notify.message': MessageNotice,
  'calls.changed': CallsSnapshot,
  /** A peer's SDP or ICE candidate for the call this app is in. */
  'calls.signal': CallSignalEvent,
  'recordings.changed': z.array(Recording),
  /** Electron: the user asked to share; show these sources and answer with `screen.choose`. */
  'screen.pick': ScreenPickRequest,
  'voice.models.changed': z.array(VoiceModelStatus),
  /** A global hotkey for voice control or the microphone was pressed. */
  'voice.hotkey': VoiceHotkey,
  /** The window was shown or hidden (voice commands depend on it). */
  'window.changed': WindowStatus,
  'keystore.changed': KeystoreStatus,
  /** The backup list, and the running backup or restore with its progress. */
  'backups.changed': BackupsStatus,
  'incidents.changed': z.array(Incident),
  'hosting.changed': HostingStatus,
  /** The system opened a beseda:// invite link: the window shows it (invites.takeOpened). */
  'invite.opened': z.object({}),
} as const satisfies Record<string, z.ZodType>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** Prefix of the Electron ipcMain channels; one handler per contract channel. */
export const IPC_CHANNEL_PREFIX = 'api:';
export const IPC_EVENT_CHANNEL = 'api:event';
