import { useCallback, useEffect, useState } from 'react';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { ProgressBar } from '../../ui/ProgressBar';
import { Skeleton } from '../../ui/Skeleton';
import { toast } from '../../ui/Toast';
import { undoDelete } from '../recordings/undo-delete';
import { useTranslation } from 'react-i18next';
import { errorText } from '../chats/error-text';
import type { StorageCategory, StorageUsage } from '../../../src-shared/ipc/chat-types';
import type { StorageLimits } from '../../../src-shared/settings';
import { call } from '../../lib/api';
import { formatBytes } from '../../lib/format';

const LIMIT_KEY: Record<StorageCategory, keyof StorageLimits> = {
  messages: 'messagesMb',
  media: 'mediaMb',
  recordings: 'recordingsMb',
};

/** Settings > Storage: size per category, its limit, and a clear button. */
export function StorageSection({ limits }: { limits: StorageLimits }) {
  const { t } = useTranslation();
  const [usage, setUsage] = useState<StorageUsage | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // Limits being edited; everything else shows the saved value.
  const [edits, setEdits] = useState<Partial<StorageLimits>>({});
  const draft: StorageLimits = { ...limits, ...edits };

  const refresh = useCallback(() => {
    call('storage.usage').then(setUsage, (e: Error) => setNote(e.message));
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => clearInterval(timer);
  }, [refresh, limits]);

  const saveLimit = async (category: StorageCategory) => {
    const key = LIMIT_KEY[category];
    try {
      await call('settings.update', { storageLimits: { [key]: draft[key] } });
      setEdits(({ [key]: _saved, ...rest }) => rest);
      setNote(t('settings.saved'));
      refresh();
    } catch (e) {
      setNote(t('settings.saveFailed', { message: errorText(e, t) }));
    }
  };
  const clear = async (category: StorageCategory) => {
    try {
      // Messages and media come back from the server; recordings exist only here, so clearing
      // them offers Undo (their service keeps the files for a minute).
      const deleted = category === 'recordings' ? await call('recordings.deleteAll') : [];
      setUsage(await call('storage.clear', { category }));
      setNote(t('settings.storageCleared'));
      if (deleted.length)
        toast({
          text: t('settings.recordingsCleared', { count: deleted.length }),
          action: {
            label: t('ui.undo'),
            testId: 'settings-storage-undo',
            run: () => undoDelete(deleted, t).then(refresh),
          },
        });
    } catch (e) {
      setNote(errorText(e, t));
    }
  };

  return (
    <fieldset className="storage" data-testid="settings-storage">
      <legend>{t('settings.storage')}</legend>
      <p className="muted">{t('settings.storageHint')}</p>
      {usage ? (
        <table>
          <tbody>
            {usage.map((u) => (
              <tr key={u.category} data-testid={`settings-storage-${u.category}`}>
                <th scope="row">{t(`settings.storageCategory.${u.category}`)}</th>
                <td>
                  <ProgressBar
                    label={t(`settings.storageCategory.${u.category}`)}
                    value={u.bytes}
                    max={u.limitBytes}
                    showPercent={false}
                  />{' '}
                  {t('settings.storageUsed', {
                    used: formatBytes(u.bytes, t),
                    limit: formatBytes(u.limitBytes, t),
                  })}
                  <br />
                  <span className="muted">
                    {t('settings.storageEntries', { count: u.entries })}
                    {u.pinnedBytes > 0
                      ? ` · ${t('settings.storagePinned', { size: formatBytes(u.pinnedBytes, t) })}`
                      : ''}
                  </span>
                </td>
                <td>
                  <TextField
                    className="inline"
                    label={t('settings.storageLimit')}
                    type="number"
                    min={1}
                    value={draft[LIMIT_KEY[u.category]]}
                    onChange={(e) =>
                      setEdits({ ...edits, [LIMIT_KEY[u.category]]: Number(e.target.value) })
                    }
                    onBlur={() => void saveLimit(u.category)}
                  />
                </td>
                <td>
                  <Button
                    testId={`settings-storage-clear-${u.category}`}
                    onClick={() => void clear(u.category)}
                  >
                    {t('settings.storageClear')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Skeleton lines={3} />
      )}
      {note ? <p role="status">{note}</p> : null}
    </fieldset>
  );
}
