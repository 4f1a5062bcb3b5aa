/** The implementation of every contract channel, in terms of the services. */
import type { AppInfo } from '../../../src-shared/ipc/types';
import type { ApiHandlers } from './dispatcher';
import type { SettingsService } from '../settings/settings-service';
import type { HealthService } from '../health/health-service';
import type { ServerConnection } from '../sync/server-connection';
import type { GlobalShortcutService } from '../shortcuts/global-shortcuts';
import type { ChatService } from '../chat/chat-service';
import type { SyncEngine } from '../sync/sync-engine';
import type { StorageUsageService } from '../storage/storage-usage';

export interface HandlerDeps {
  info: AppInfo;
  settings: SettingsService;
  health: HealthService;
  connection: ServerConnection;
  shortcuts: GlobalShortcutService;
  chat: ChatService;
  sync: SyncEngine;
  storage: StorageUsageService;
}

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  return {
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
    'shortcuts.status': () => deps.shortcuts.status(),
    'identity.get': () => deps.chat.identity(),
    'identity.create': ({ displayName }) => deps.chat.createIdentity(displayName),
    'sync.status': () => deps.sync.status(),
    'rooms.list': () => deps.chat.rooms(),
    'rooms.create': ({ name }) => deps.chat.createRoom(name),
    'rooms.join': ({ code }) => deps.chat.joinRoom(code),
    'rooms.leave': ({ roomId }) => deps.chat.leaveRoom(roomId),
    'rooms.markRead': ({ roomId }) => deps.chat.markRead(roomId),
    'rooms.openDirect': ({ userId }) => deps.chat.openDirect(userId),
    'messages.page': ({ roomId, beforeSeq, limit }) => deps.chat.page(roomId, beforeSeq, limit),
    'messages.send': ({ roomId, body, clientId }) => deps.chat.send(roomId, body, clientId),
    'messages.retry': ({ clientId }) => deps.chat.retry(clientId),
    'messages.search': ({ query, limit }) => deps.chat.search(query, limit),
    'presence.set': ({ presence }) => deps.chat.setPresence(presence),
    'storage.usage': () => deps.storage.usage(),
    'storage.clear': ({ category }) => {
      deps.storage.clear(category);
      return deps.storage.usage();
    },
  };
}
