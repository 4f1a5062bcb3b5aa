/** The implementation of every contract channel, in terms of the services. */
import type { AppInfo } from '../../../src-shared/ipc/types';
import type { ApiHandlers } from './dispatcher';
import type { SettingsService } from '../settings/settings-service';
import type { HealthService } from '../health/health-service';
import type { ServerConnection } from '../sync/server-connection';
import type { GlobalShortcutService } from '../shortcuts/global-shortcuts';

export interface HandlerDeps {
  info: AppInfo;
  settings: SettingsService;
  health: HealthService;
  connection: ServerConnection;
  shortcuts: GlobalShortcutService;
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
  };
}
