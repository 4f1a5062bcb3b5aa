/** What the start-up check found, told to the user as incidents. */
import type { StartupCheck } from '../backups/startup-check';
import type { IncidentLog } from './incident-log';

export function reportStartup(
  incidents: IncidentLog,
  check: StartupCheck,
  previousRunUnclean: boolean,
): void {
  if (previousRunUnclean)
    incidents.report(
      'unclean_shutdown',
      'warning',
      'The app did not shut down cleanly last time',
      `The previous run ended without stopping (a crash, a kill or a power loss); the database was checked with ${check.check ?? 'quick_check'}.`,
    );
  if (check.outcome !== 'restored' && check.outcome !== 'emptied') return;
  const incident = incidents.report(
    'database_damaged',
    'critical',
    'The local database was damaged',
    `${check.check} found: ${check.problem}. The damaged file was kept as ${check.damagedCopy}.`,
  );
  for (const skipped of check.skipped)
    incidents.report(
      incident.key,
      'critical',
      incident.title,
      `Backup ${skipped.id} could not be used: ${skipped.error}`,
    );
  const from = check.restoredFrom;
  incidents.report(
    incident.key,
    'critical',
    incident.title,
    from
      ? `Restored the backup of ${new Date(from.createdAt).toISOString()} (${from.messages ?? '?'} messages); newer messages are fetched again from the server. Messages written offline after that backup and not yet sent are lost.`
      : 'No usable backup: started with an empty store; rooms and messages are fetched again from the server.',
  );
}
