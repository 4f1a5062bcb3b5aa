/**
 * Builds every service from a data directory and a Platform, wires them together, and tears
 * them down in order. Both hosts (the Electron shell and the browser host) start the app here.
 */
import path from 'node:path';
import type { AppInfo } from '../../src-shared/ipc/types';
import type { Logger } from '../../src-shared/log';
import type { Platform } from '../platform/platform';
import { createApiHandlers } from './api/handlers';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { EventHub } from './events';
import { HealthService } from './health/health-service';
import { ServerEndpoint } from './server-host/server-endpoint';
import { HostingService } from './server-host/hosting-service';
import { LanDiscovery } from './server-host/lan-discovery';
import { InviteService } from './chat/invite-service';
import { SettingsService } from './settings/settings-service';
import { GlobalShortcutService, type ShortcutHandlers } from './shortcuts/global-shortcuts';
import type { LocalDatabase } from './storage/database';
import { ServerConnection } from './sync/server-connection';
import { ServerPins } from './sync/server-pins';
import { SyncEngine, type SyncChanges } from './sync/sync-engine';
import { NotificationService } from './notifications/notification-service';
import { MediaService } from './media/media-service';
import { ChatService } from './chat/chat-service';
import { IdentityKeystore } from './identity/identity-keystore';
import type { Keystore } from './keystore/keystore';
import { openLocalState } from './startup/open-local-state';
import type { StartupCheck } from './backups/startup-check';
import type { IncidentLog } from './incidents/incident-log';
import type { BackupService } from './backups/backup-service';
import { BackupScheduler } from './backups/backup-scheduler';
import { HealthMonitor } from './health/health-monitor';
import { MessageStore } from './storage/message-store';
import { makePrivate, restrictNewFiles } from './storage/private-files';
import { StorageUsageService } from './storage/storage-usage';
import { ChangeBatcher } from './change-batcher';
import { CallService } from './calls/call-service';
import { QualityStore } from './calls/quality-store';
import { ScreenPicker } from './calls/screen-picker';
import { RecordingService } from './recordings/recording-service';
import { VoiceHistoryStore } from './voice/voice-history';
import { VoiceModelService } from './voice/voice-models';
import { AnalyticsService } from './analytics/analytics-service';
import type { DashboardData } from '../../src-shared/analytics/dashboard';
import { releaseKeyName } from '../platform/key-release';
import type { VoiceHotkey, VoiceIndicatorState } from '../../src-shared/ipc/voice-types';

export interface ServicesOptions {
  dataDir: string;
  platform: Platform;
  logger: Logger;
  host: AppInfo['host'];
  /** A server URL for this run only (the browser host's --server flag); not saved. */
  serverUrlOverride?: string | null;
  shortcutHandlers?: ShortcutHandlers;
  /** What only the desktop shell can do (window, dialogs, tray); absent in the browser host. */
  desktop?: DesktopShell;
  /** resources/voice-models of a release build, when it bundles speech models. */
  bundledVoiceModelsDir?: string | null;
}

export interface DesktopShell {
  isWindowVisible(): boolean;
  controlWindow(action: 'show' | 'hide' | 'toggle'): void;
  /** The system's open dialog for a model folder or archive; null when cancelled. */
  chooseModelSource(): Promise<string | null>;
  setVoiceIndicator(state: VoiceIndicatorState): void;
  /** Save dialog for an exported backup; null when cancelled. */
  chooseExportFile(suggestedName: string): Promise<string | null>;
  /** Open dialog for a backup file to restore; null when cancelled. */
  chooseBackupFile(): Promise<string | null>;
}

export interface Services {
  readonly info: AppInfo;
  readonly database: LocalDatabase;
  readonly settings: SettingsService;
  readonly health: HealthService;
  readonly connection: ServerConnection;
  readonly pins: ServerPins;
  readonly endpoint: ServerEndpoint;
  readonly hosting: HostingService;
  readonly discovery: LanDiscovery;
  readonly invites: InviteService;
  readonly shortcuts: GlobalShortcutService;
  readonly chat: ChatService;
  readonly sync: SyncEngine;
  readonly messages: MessageStore;
  readonly storage: StorageUsageService;
  readonly calls: CallService;
  readonly recordings: RecordingService;
  readonly media: MediaService;
  readonly screenPicker: ScreenPicker;
  readonly voiceModels: VoiceModelService;
  readonly analytics: AnalyticsService;
  readonly events: EventHub;
  readonly dispatch: Dispatch;
  readonly previousRunUnclean: boolean;
  readonly secrets: Keystore;
  readonly backups: BackupService;
  readonly incidents: IncidentLog;
  readonly monitor: HealthMonitor;
  /** What the database check at start found (and did). */
  readonly startupCheck: StartupCheck;
  stop(): Promise<void>;
}

export async function startServices(options: ServicesOptions): Promise<Services> {
  const { platform, logger } = options;
  const dataDir = path.resolve(options.dataDir);
  // Private before anything is written: new files 0600 (umask), existing ones fixed.
  restrictNewFiles();
  const madePrivate = makePrivate(dataDir);
  if (madePrivate) logger.info('made the data directory private', { changed: madePrivate });

  const info: AppInfo = {
    name: platform.appName,
    version: platform.appVersion,
    host: options.host,
    platform: process.platform,
    dataDir,
    systemLocale: platform.systemLocale(),
  };
  const settings = new SettingsService(
    platform.openSettingsStore(dataDir),
    logger.child({ service: 'settings' }),
  );
  const {
    secrets,
    backups,
    startupCheck,
    database,
    runs,
    previousRunUnclean,
    incidents,
    incidentDatabase,
  } = await openLocalState({ dataDir, platform, settings, host: options.host, logger });

  const events = new EventHub();
  const health = new HealthService(platform, database, dataDir);
  const endpoint = new ServerEndpoint(dataDir, logger);
  const pins = new ServerPins(dataDir);
  const connection = new ServerConnection({
    clientInfo: { name: platform.appName, version: platform.appVersion },
    logger: logger.child({ service: 'connection' }),
    checkIdentity: (url, key, primary) => pins.check(url, key, primary),
    tlsTrust: { get: (url) => pins.tls(url), set: (url, pin) => pins.setTls(url, pin) },
  });
  // Voice hotkeys act in the renderer (it owns the microphone and the call); main relays them.
  const voiceHotkey = (action: VoiceHotkey['action']) => () =>
    events.emit('voice.hotkey', { action });
  // Hold-to-talk where key releases can be seen; a held key's auto-repeat is one press.
  let endHold: (() => void) | null = null;
  const pushToTalk = () => {
    if (endHold) return;
    const accelerator = settings.get().shortcuts.pushToTalk;
    const watcher = platform.keyRelease;
    const hold = Boolean(watcher && accelerator && releaseKeyName(accelerator));
    events.emit('voice.hotkey', { action: 'pushToTalk', hold });
    if (!hold) return;
    endHold = watcher!.onceReleased(accelerator!, () => {
      endHold = null;
      events.emit('voice.hotkey', { action: 'pushToTalkRelease' });
    });
  };
  const shortcuts = new GlobalShortcutService(platform.globalShortcuts, {
    toggleListening: voiceHotkey('toggleListening'),
    pushToTalk,
    muteMicrophone: voiceHotkey('muteMicrophone'),
    ...options.shortcutHandlers,
  });

  const keystore = new IdentityKeystore(dataDir, secrets);
  const messages = new MessageStore(database.db, () => {
    const identity = keystore.get();
    return identity && { userId: identity.userId, displayName: identity.displayName };
  });
  const storage = new StorageUsageService(database.db, () => settings.get().storageLimits);
  // Bursts (an outbox draining, a catch-up) become one event per room per tick, not thousands.
  const batcher = new ChangeBatcher(
    (roomId, changed) => events.emit('messages.changed', { roomId, messages: changed }),
    () => events.emit('rooms.changed', messages.rooms()),
  );
  const changes: SyncChanges = {
    messages: (roomId, changed) => batcher.messages(roomId, changed),
    rooms: () => batcher.rooms(),
    typing: (roomId, userId) => events.emit('typing.changed', { roomId, userId }),
    status: (status) => events.emit('sync.changed', status),
    arrived: (message) => notifications.arrived(message),
  };
  const notifications = new NotificationService(
    messages,
    () => settings.get().notifications,
    () => {
      const identity = keystore.get();
      return identity && { userId: identity.userId, displayName: identity.displayName };
    },
    (notice) => events.emit('notify.message', notice),
  );
  const sync = new SyncEngine(
    connection,
    messages,
    keystore,
    changes,
    logger.child({ service: 'sync' }),
  );
  const chat = new ChatService(keystore, messages, connection, sync, changes, (identity) =>
    events.emit('identity.changed', identity),
  );
  const invites = new InviteService({
    settings,
    connection,
    pins,
    chat,
    sync,
    clientInfo: { name: platform.appName, version: platform.appVersion },
    hostingUrls: () => endpoint.hostingUrls(),
    logger: logger.child({ service: 'invites' }),
  });
  const discovery = new LanDiscovery(logger.child({ service: 'lan-discovery' }));
  const hosting = new HostingService(
    endpoint,
    discovery,
    logger.child({ service: 'hosting' }),
    () => (connection.status().embedded && connection.isOnline() ? 1 : 0),
  );
  hosting.onChange((status) => events.emit('hosting.changed', status));
  invites.onOpened(() => events.emit('invite.opened', {}));
  const calls = new CallService(
    connection,
    sync,
    keystore,
    {
      changed: (snapshot) => events.emit('calls.changed', snapshot),
      signal: (signal) => events.emit('calls.signal', signal),
    },
    logger.child({ service: 'calls' }),
  );
  const quality = new QualityStore(database.db);
  const screenPicker = new ScreenPicker((request) => events.emit('screen.pick', request));
  const recordings = new RecordingService(
    database.db,
    path.join(dataDir, 'recordings'),
    storage,
    (roomId) => messages.room(roomId)?.name ?? '',
    logger.child({ service: 'recordings' }),
  );
  recordings.onChange((list) => events.emit('recordings.changed', list));
  const voiceHistory = new VoiceHistoryStore(database.db);
  const analytics = new AnalyticsService(database.db, {
    consent: () => settings.get().analyticsConsent,
    userId: () => keystore.get()?.userId ?? null,
    logger: logger.child({ service: 'analytics' }),
    uploader: {
      isOnline: () => sync.isReady(),
      upload: (events) => connection.request({ t: 'analytics.upload', events }),
      query: async (range) =>
        (await connection.request({ t: 'analytics.query', range }))
          .data as unknown as DashboardData,
      definitions: async () => (await connection.request({ t: 'analytics.defs' })).definitions,
      define: async (definition) =>
        (await connection.request({ t: 'analytics.define', definition })).definitions,
      undefine: async (key) =>
        (await connection.request({ t: 'analytics.undefine', key })).definitions,
    },
  });
  // Consent withdrawn: what was recorded and not sent is deleted. Signed in: send and refresh.
  settings.onChange((next, previous) => {
    if (next.analyticsConsent === 'denied' && previous.analyticsConsent !== 'denied')
      analytics.forget();
  });
  sync.onSignedIn(() => {
    void analytics.flush();
    void analytics.refreshDefinitions();
  });
  const analyticsTimer = setInterval(() => void analytics.flush(), 30_000);
  analyticsTimer.unref();
  const voiceModels = new VoiceModelService({
    dir: path.join(dataDir, 'voice-models'),
    bundledDir: options.bundledVoiceModelsDir ?? null,
    logger: logger.child({ service: 'voice-models' }),
  });
  await voiceModels.init();
  voiceModels.onChange((list) => events.emit('voice.models.changed', list));
  const recovered = await recordings.recoverUnfinished();
  if (recovered) logger.info('finished recordings left open by the last run', { recovered });
  const enforceLimits = () => {
    try {
      const evicted = storage.enforceLimits();
      if (evicted.length) logger.info('storage limits enforced', { evicted });
    } catch (error) {
      logger.error('could not enforce storage limits', { error });
    }
  };
  const media = new MediaService({
    dataDir,
    store: messages,
    storage,
    access: () => sync.httpAccess(),
    changed: (message) => batcher.messages(message.roomId, [message]),
    released: () => {
      sync.outbox.kick(true);
      sync.outboxChanged();
    },
    progress: (progress) => events.emit('files.progress', progress),
    grew: () => enforceLimits(),
    logger: logger.child({ service: 'media' }),
  });
  // Uploads go on with every session (and after a retry of a message with files).
  sync.onSignedIn(() => void media.pump());
  enforceLimits();
  const limitsTimer = setInterval(enforceLimits, 10 * 60 * 1000);
  limitsTimer.unref();

  const monitor = new HealthMonitor({
    health,
    incidents,
    connection: () => connection.status(),
    lastVerifiedBackupAt: () => backups.newestVerified()?.createdAt ?? null,
    installedAt: runs.firstStartedAt(),
    keystoreState: () => secrets.status().state,
  });
  monitor.start();
  const scheduler = new BackupScheduler(
    backups,
    () => settings.get().backups,
    () => secrets.status().state === 'open',
    logger.child({ service: 'backup-scheduler' }),
  );
  scheduler.start();
  secrets.onChange((status) => events.emit('keystore.changed', status));
  backups.onChange((status) => events.emit('backups.changed', status));
  incidents.onChange((list) => events.emit('incidents.changed', list));
  backups.onRestored(() => {
    // The room list changed under the renderer (other screens load afresh when opened); what the
    // server has since the backup comes with a new session.
    events.emit('rooms.changed', messages.rooms());
    incidents.report(
      'database_restored',
      'info',
      'The database was restored from a backup',
      'Restored by the user; newer messages are fetched again from the server.',
    );
    connection.reconnectNow();
  });
  // A keystore that opens (unlocked, or reset) may be what the sign-in was waiting for; a reset
  // also drops the identity, which a new session finds out.
  let secretsWereOpen = secrets.status().state === 'open';
  secrets.onChange((status) => {
    const reset = status.state === 'open' && !keystore.get();
    if ((status.state === 'open' && !secretsWereOpen) || reset) connection.reconnectNow();
    secretsWereOpen = status.state === 'open';
  });

  settings.onChange((next) => events.emit('settings.changed', next));
  connection.onStatus((status) => events.emit('connection.changed', status));
  shortcuts.onChange((statuses) => events.emit('shortcuts.changed', statuses));

  // Endpoint changes are serialised: a second settings change waits for the first to settle.
  let endpointChain = Promise.resolve();
  const resolveEndpoint = async () => {
    const { serverUrl, hosting: wanted } = settings.get();
    const override = options.serverUrlOverride ?? null;
    hosting.starting(wanted.enabled);
    if (wanted.enabled) discovery.start();
    try {
      const target = await endpoint.resolve(serverUrl, override, wanted);
      const server = endpoint.embeddedServer();
      // The port chosen the first time is kept: colleagues' apps remember the address.
      if (wanted.enabled && wanted.port === null && server)
        settings.update({ hosting: { port: server.port } });
      return target;
    } catch (error) {
      if (!wanted.enabled) throw error;
      logger.error('could not host for others; hosting for this app only', { error });
      hosting.failed(error);
      return endpoint.resolve(serverUrl, override);
    } finally {
      void hosting.settled();
    }
  };
  const connectToConfiguredServer = () => {
    endpointChain = endpointChain.then(async () => {
      try {
        const target = await resolveEndpoint();
        // The embedded server has no fallbacks: it is this computer, whose key is known here.
        const fallbacks = target.embedded ? [] : settings.get().fallbackServerUrls;
        const embedded = endpoint.embeddedServer();
        if (target.embedded && embedded) pins.set(target.url, embedded.serverKey);
        // Offline too, the rooms shown are those of the server the app is on (known by its key).
        if (messages.setServer(pins.get(target.url)?.key ?? null)) {
          events.emit('rooms.changed', messages.rooms());
          events.emit('sync.changed', sync.status());
        }
        // The same server as now (hosting changed while the app is elsewhere): stay connected.
        const unchanged =
          connection.targetUrl() === target.url &&
          JSON.stringify(connection.fallbacks()) === JSON.stringify(fallbacks);
        if (!unchanged) connection.connect({ ...target, fallbacks });
      } catch (error) {
        logger.error('could not start or reach the server', { error });
      }
    });
    return endpointChain;
  };
  settings.onChange((next, previous) => {
    const hostingChanged =
      next.hosting.enabled !== previous.hosting.enabled ||
      // The first port chosen being saved is not a change of port.
      (next.hosting.port !== previous.hosting.port && previous.hosting.port !== null);
    if (
      next.serverUrl !== previous.serverUrl ||
      next.fallbackServerUrls.join() !== previous.fallbackServerUrls.join() ||
      hostingChanged
    )
      void connectToConfiguredServer();
    if (JSON.stringify(next.shortcuts) !== JSON.stringify(previous.shortcuts))
      shortcuts.apply(next.shortcuts);
    if (JSON.stringify(next.storageLimits) !== JSON.stringify(previous.storageLimits))
      enforceLimits();
  });

  shortcuts.apply(settings.get().shortcuts);
  await connectToConfiguredServer();

  const dispatch = createDispatcher(
    createApiHandlers({
      info,
      settings,
      health,
      connection,
      pins,
      shortcuts,
      chat,
      invites,
      hosting,
      discovery,
      sync,
      storage,
      calls,
      quality,
      recordings,
      media,
      screenPicker,
      voiceHistory,
      voiceModels,
      analytics,
      desktop: options.desktop ?? null,
      revealFile: (file) => platform.revealFile(file),
      openFile: (file, name) => platform.openFile(file, name),
      operations: {
        secrets,
        backups,
        incidents,
        monitor,
        dialogs: options.desktop ?? null,
      },
    }),
    logger.child({ component: 'api' }),
  );

  let stopped = false;
  return {
    info,
    database,
    settings,
    health,
    connection,
    pins,
    endpoint,
    hosting,
    discovery,
    invites,
    shortcuts,
    chat,
    sync,
    messages,
    storage,
    calls,
    recordings,
    media,
    screenPicker,
    voiceModels,
    analytics,
    events,
    dispatch,
    previousRunUnclean,
    secrets,
    backups,
    incidents,
    monitor,
    startupCheck,
    async stop() {
      if (stopped) return;
      stopped = true;
      await endpointChain;
      shortcuts.unregisterAll();
      endHold?.();
      platform.keyRelease?.stop();
      clearInterval(limitsTimer);
      clearInterval(analyticsTimer);
      monitor.stop();
      scheduler.stop();
      await recordings.stopAll();
      recordings.purgeDeleted();
      calls.stop();
      media.stop();
      sync.stop();
      connection.close();
      batcher.flush();
      // After the last writes (recordings, outbox acks), before the file is closed.
      await backups.settled();
      await scheduler.atQuit();
      await discovery.stop();
      await endpoint.stopEmbedded();
      health.dispose();
      runs.end();
      database.close();
      incidentDatabase.db.close();
      logger.info('services stopped');
    },
  };
}
