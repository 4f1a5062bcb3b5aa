/**
 * What must be settled before any service touches the local store: the keystore (and with it the
 * backup key), the start-up check of the database (restoring the newest verified backup when it
 * is damaged), the database itself, the run log, and the incident log that tells the user what
 * happened.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AppInfo } from '../../../src-shared/ipc/types';
import type { Logger } from '../../../src-shared/log';
import type { Platform } from '../../platform/platform';
import { BackupService } from '../backups/backup-service';
import { checkDatabaseAtStart, type StartupCheck } from '../backups/startup-check';
import { IncidentLog, openIncidentDatabase } from '../incidents/incident-log';
import { reportStartup } from '../incidents/startup-incidents';
import { Keystore } from '../keystore/keystore';
import { randomKey } from '../keystore/sealed-box';
import type { SettingsService } from '../settings/settings-service';
import { AppRunLog } from '../storage/app-runs';
import { openLocalDatabase, type LocalDatabase } from '../storage/database';

/** The keystore entry of the key that seals backups. */
const BACKUP_KEY_ENTRY = 'backup.key';

export interface LocalState {
  secrets: Keystore;
  backups: BackupService;
  startupCheck: StartupCheck;
  database: LocalDatabase;
  runs: AppRunLog;
  previousRunUnclean: boolean;
  incidents: IncidentLog;
  incidentDatabase: { db: Database };
}

export async function openLocalState(options: {
  dataDir: string;
  platform: Platform;
  settings: SettingsService;
  host: AppInfo['host'];
  logger: Logger;
}): Promise<LocalState> {
  const { dataDir, platform, settings, logger } = options;
  const secrets = new Keystore(dataDir, platform.openSecretStorage(dataDir));
  const secretsStatus = secrets.status();
  if (secretsStatus.state !== 'open' || secretsStatus.problem)
    logger.warn('the keystore needs the user', { ...secretsStatus });
  const backupKey = () => {
    const existing = secrets.get(BACKUP_KEY_ENTRY);
    if (existing) return existing;
    const key = randomKey();
    secrets.set(BACKUP_KEY_ENTRY, key);
    return key;
  };
  const databaseFile = path.join(dataDir, 'beseda.db');
  let liveDatabase: LocalDatabase | null = null;
  const backups = new BackupService({
    dir: path.join(dataDir, 'backups'),
    database: () => {
      if (!liveDatabase) throw new Error('the database is not open yet');
      return liveDatabase;
    },
    backupKey,
    logger: logger.child({ service: 'backups' }),
    rotation: () => {
      const { keepDaily, keepWeekly } = settings.get().backups;
      return { daily: keepDaily, weekly: keepWeekly };
    },
  });
  backups.discardPartial();
  const startupCheck = await checkDatabaseAtStart({
    file: databaseFile,
    backups: () => backups.list(),
    backupFile: (id) => backups.fileOf(id),
    backupKey: () => (secrets.status().state === 'open' ? backupKey() : null),
    logger: logger.child({ service: 'startup-check' }),
  });
  const database = openLocalDatabase(databaseFile);
  liveDatabase = database;
  const runs = new AppRunLog(database.db);
  const { previousRunUnclean } = runs.begin(options.host, platform.appVersion);
  if (previousRunUnclean) logger.warn('the previous run did not shut down cleanly');
  const incidentDatabase = openIncidentDatabase(path.join(dataDir, 'incidents.db'));
  const incidents = new IncidentLog(incidentDatabase.db);
  if (incidentDatabase.replacedDamaged) logger.warn('the incident log was damaged; started afresh');
  reportStartup(incidents, startupCheck, previousRunUnclean);
  return {
    secrets,
    backups,
    startupCheck,
    database,
    runs,
    previousRunUnclean,
    incidents,
    incidentDatabase,
  };
}
