/** Contract channels of the keystore, backups, incidents and health history. */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { ApiHandlers } from './dispatcher';
import type { Keystore } from '../keystore/keystore';
import { KeystoreLockedError, WrongPassphraseError } from '../keystore/keystore';
import type { BackupService } from '../backups/backup-service';
import { BackupBusyError, ExportTargetExistsError } from '../backups/backup-service';
import type { IncidentLog } from '../incidents/incident-log';
import { IncidentNotFoundError } from '../incidents/incident-log';
import type { HealthMonitor } from '../health/health-monitor';

export interface OperationsDeps {
  secrets: Keystore;
  backups: BackupService;
  incidents: IncidentLog;
  monitor: HealthMonitor;
  /** The system's save/open dialogs; absent in the browser host (paths are typed there). */
  dialogs: {
    chooseExportFile(suggestedName: string): Promise<string | null>;
    chooseBackupFile(): Promise<string | null>;
  } | null;
}

type OperationsChannels = Extract<
  keyof ApiHandlers,
  | `keystore.${string}`
  | `backups.${string}`
  | `incidents.${string}`
  | 'health.report'
  | 'health.renderer'
>;

/** Errors the user can act on, in words; anything else stays an internal error. */
async function userFacing<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WrongPassphraseError)
      throw new ApiError('forbidden', 'That passphrase is not right.');
    if (error instanceof KeystoreLockedError) throw new ApiError('unavailable', error.message);
    if (error instanceof BackupBusyError) throw new ApiError('conflict', error.message);
    if (error instanceof IncidentNotFoundError) throw new ApiError('not_found', error.message);
    if (error instanceof ExportTargetExistsError) throw new ApiError('conflict', error.message);
    if (error instanceof ApiError) throw error;
    // Backup and restore failures are things to show (bad file, wrong key, damaged backup).
    throw new ApiError('unavailable', error instanceof Error ? error.message : String(error));
  }
}

/** In the desktop app a page never names a file: a compromised page could name any. */
export function pathFromPage(): ApiError {
  return new ApiError(
    'forbidden',
    'In the desktop app files are chosen in the system dialog, not given by the page.',
  );
}

export function createOperationsHandlers(
  deps: OperationsDeps,
): Pick<ApiHandlers, OperationsChannels> {
  const { secrets, backups, incidents, monitor, dialogs } = deps;
  return {
    'health.report': () => monitor.report(),
    'health.renderer': ({ memoryBytes }) => {
      monitor.rendererReported(memoryBytes);
      return null;
    },
    'keystore.status': () => secrets.status(),
    'keystore.unlock': ({ passphrase }) => userFacing(() => secrets.unlock(passphrase)),
    'keystore.setPassphrase': ({ passphrase }) =>
      userFacing(() => secrets.setPassphrase(passphrase)),
    'keystore.reset': () => secrets.reset(),
    'backups.status': () => backups.status(),
    'backups.create': () => userFacing(() => backups.backUp('manual')),
    'backups.verify': ({ id }) => userFacing(() => backups.verify(id)),
    'backups.export': ({ id, path, overwrite }) =>
      userFacing(async () => {
        if (dialogs) {
          // Desktop: the file comes from the system dialog (which asks before replacing one).
          if (path !== undefined) throw pathFromPage();
          const chosen = await dialogs.chooseExportFile(`beseda-${id}.tdbackup`);
          return chosen === null ? null : { path: await backups.exportTo(id, chosen, true) };
        }
        if (path === undefined)
          throw new ApiError('invalid_input', 'Give the path of the file to write.');
        return { path: await backups.exportTo(id, path, overwrite === true) };
      }),
    'backups.restore': ({ id }) =>
      userFacing(async () => {
        await backups.restore({ id });
        return backups.status();
      }),
    'backups.restoreFile': ({ path }) =>
      userFacing(async () => {
        if (dialogs && path !== undefined) throw pathFromPage();
        const file = dialogs ? await dialogs.chooseBackupFile() : path;
        if (file === undefined)
          throw new ApiError('invalid_input', 'Give the path of the backup file.');
        if (file === null) return null;
        await backups.restore({ file });
        return backups.status();
      }),
    'incidents.list': () => incidents.list(),
    'incidents.acknowledge': ({ id, note }) => userFacing(() => incidents.acknowledge(id, note)),
    'incidents.resolve': ({ id, note }) => userFacing(() => incidents.resolve(id, note)),
    'incidents.export': ({ format }) =>
      format === 'json' ? incidents.exportJson() : incidents.exportMarkdown(),
  };
}
