import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../../src-shared/ipc/operations-types';
import { ApiError } from '../../../src-shared/ipc/api-error';
import { call, useLive } from '../../lib/api';
import { formatAge, formatBytes } from '../../lib/format';
import { Button } from '../../ui/Button';
import { ProgressBar } from '../../ui/ProgressBar';

/**
 * Settings > Backups: the list with size, age and verification; back up now; export; restore
 * from a backup or a file, with a progress bar. In the browser host files are named by path
 * (a page cannot open the host's dialogs); the desktop app asks with the system dialog.
 */
export function BackupsSection({ desktop }: { desktop: boolean }) {
  const { t } = useTranslation();
  const { value: status } = useLive('backups.status', 'backups.changed');
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [exportPath, setExportPath] = useState('');
  const [restorePath, setRestorePath] = useState('');
  const busy = Boolean(status?.running);
  // Ages are shown to the minute; re-rendered each half minute.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [status]);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setNote(null);
    try {
      await work();
      setNote({ text: done, error: false });
    } catch (e) {
      setNote({ text: (e as Error).message, error: true });
    }
  };
  const restore = (backup: BackupInfo) => {
    if (
      !window.confirm(
        t('backups.confirmRestore', { date: new Date(backup.createdAt).toLocaleString() }),
      )
    )
      return;
    void run(() => call('backups.restore', { id: backup.id }), t('backups.restored'));
  };
  const exportOne = (backup: BackupInfo) =>
    run(
      async () => {
        const path = exportPath.trim();
        const exportTo = (overwrite: boolean) =>
          call('backups.export', { id: backup.id, ...(desktop ? {} : { path, overwrite }) });
        let result;
        try {
          result = await exportTo(false);
        } catch (error) {
          // A file of that name exists: replaced only when the user says so, for that file.
          if (!(error instanceof ApiError && error.code === 'conflict')) throw error;
          if (!window.confirm(t('backups.confirmReplace', { path })))
            throw new Error(t('backups.cancelled'), { cause: error });
          result = await exportTo(true);
        }
        if (!result) throw new Error(t('backups.cancelled'));
        setNote({ text: t('backups.exported', { path: result.path }), error: false });
      },
      t('backups.exported', { path: desktop ? '' : exportPath.trim() }),
    );
  const restoreFile = () => {
    if (!window.confirm(t('backups.confirmRestoreFile'))) return;
    void run(
      () => call('backups.restoreFile', desktop ? {} : { path: restorePath.trim() }),
      t('backups.restored'),
    );
  };

  return (
    <section className="settings-section" data-testid="settings-backups">
      <h2>{t('backups.title')}</h2>
      <p className="muted">{t('backups.explain')}</p>
      <div className="row">
        <Button
          testId="backups-now"
          disabled={busy}
          onClick={() => void run(() => call('backups.create'), t('backups.done'))}
        >
          {t('backups.now')}
        </Button>
        {status?.running ? (
          <ProgressBar
            label={t(`backups.phase.${status.running.phase}`)}
            showLabel
            testId="backups-progress"
            data-phase={status.running.phase}
            max={1}
            value={status.running.fraction}
          />
        ) : null}
      </div>
      {note ? (
        <p role={note.error ? 'alert' : 'status'} data-testid="backups-note">
          {note.text}
        </p>
      ) : null}
      {!desktop ? (
        <label className="block">
          {t('backups.exportPath')}
          <input
            data-testid="backups-export-path"
            value={exportPath}
            onChange={(e) => setExportPath(e.target.value)}
            placeholder="/home/me/beseda.tdbackup"
            translate="no"
          />
        </label>
      ) : null}
      {status && status.backups.length === 0 ? <p className="muted">{t('backups.none')}</p> : null}
      {status && status.backups.length > 0 ? (
        <table className="table" data-testid="backups-list">
          <thead>
            <tr>
              <th>{t('backups.when')}</th>
              <th>{t('backups.reason')}</th>
              <th>{t('backups.size')}</th>
              <th>{t('backups.messages')}</th>
              <th>{t('backups.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {status.backups.map((backup) => (
              <tr
                key={backup.id}
                data-testid="backups-row"
                data-id={backup.id}
                data-state={backup.state}
              >
                <td title={new Date(backup.createdAt).toLocaleString()}>
                  {formatAge(Math.max(0, now - backup.createdAt), t)}
                </td>
                <td>{t(`backups.reasons.${backup.reason}`)}</td>
                <td>{formatBytes(backup.bytes, t)}</td>
                <td>{backup.messages ?? '—'}</td>
                <td title={backup.error ?? undefined}>{t(`backups.states.${backup.state}`)}</td>
                <td className="actions">
                  <Button
                    testId="backups-restore"
                    disabled={busy || backup.state !== 'verified'}
                    onClick={() => restore(backup)}
                  >
                    {t('backups.restore')}
                  </Button>
                  <Button
                    testId="backups-export"
                    disabled={busy || (!desktop && !exportPath.trim())}
                    onClick={() => void exportOne(backup)}
                  >
                    {t('backups.export')}
                  </Button>
                  <Button
                    disabled={busy}
                    onClick={() =>
                      void run(
                        () => call('backups.verify', { id: backup.id }),
                        t('backups.verified'),
                      )
                    }
                  >
                    {t('backups.verify')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="row">
        {!desktop ? (
          <input
            data-testid="backups-restore-path"
            aria-label={t('backups.restorePath')}
            placeholder={t('backups.restorePath')}
            value={restorePath}
            onChange={(e) => setRestorePath(e.target.value)}
          />
        ) : null}
        <Button
          testId="backups-restore-file"
          disabled={busy || (!desktop && !restorePath.trim())}
          onClick={restoreFile}
        >
          {t('backups.restoreFile')}
        </Button>
      </div>
    </section>
  );
}
