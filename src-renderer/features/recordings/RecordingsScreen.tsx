import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useLive } from '../../lib/api';
import { formatBytes, formatDuration } from '../../lib/format';
import { FolderOpen, Play, Trash2, Video, X } from 'lucide-react';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { toast } from '../../ui/Toast';
import { errorText } from '../chats/error-text';
import { undoDelete } from './undo-delete';

export default function RecordingsScreen() {
  const { t, i18n } = useTranslation();
  const { value: recordings, error } = useLive('recordings.list', 'recordings.changed');
  const [playing, setPlaying] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reveal = async (id: string, path: string) => {
    try {
      const shown = await call('recordings.reveal', { recordingId: id });
      setMessage(shown ? null : t('call.revealUnavailable', { path }));
    } catch (e) {
      setMessage(errorText(e, t));
    }
  };
  const remove = async (id: string, name: string) => {
    // Nothing destructive by accident: deleting is one click, and so is bringing it back
    // (the service keeps the file for a minute).
    try {
      await call('recordings.delete', { recordingId: id });
      if (playing === id) setPlaying(null);
      toast({
        text: t('call.deleted', { name }),
        action: {
          label: t('ui.undo'),
          testId: 'recordings-delete-undo',
          run: () => undoDelete([id], t),
        },
      });
    } catch (e) {
      setMessage(errorText(e, t));
    }
  };

  return (
    <section data-testid="screen-recordings" className="recordings-screen">
      <h1>{t('nav.recordings')}</h1>
      {error ? <p role="alert">{error}</p> : null}
      {message ? <p role="status">{message}</p> : null}
      {recordings && recordings.length === 0 ? (
        <EmptyState
          icon={<Video aria-hidden="true" />}
          title={t('call.noRecordingsTitle')}
          testId="recordings-empty"
        >
          <p>{t('call.noRecordings')}</p>
        </EmptyState>
      ) : null}
      <ul className="recordings">
        {(recordings ?? []).map((r) => (
          <li
            key={r.id}
            data-testid="recordings-item"
            data-id={r.id}
            data-state={r.state}
            data-duration-ms={r.durationMs ?? ''}
          >
            <strong>{r.roomName || t('call.direct')}</strong>{' '}
            <span className="muted">
              {new Intl.DateTimeFormat(i18n.language, {
                dateStyle: 'medium',
                timeStyle: 'short',
              }).format(r.startedAt)}{' '}
              ·{' '}
              {r.durationMs !== null
                ? formatDuration(r.durationMs / 1000)
                : t(`call.recordingState.${r.state}`)}{' '}
              · {formatBytes(r.sizeBytes, t)} ·{' '}
              {[r.videoCodec, r.audioCodec].filter(Boolean).join(' + ')}
            </span>
            <div className="muted">{r.participants.map((p) => p.name).join(', ')}</div>
            {r.error ? <p role="alert">{r.error}</p> : null}
            <div className="row-controls">
              <Button
                size="small"
                icon={playing === r.id ? <X aria-hidden="true" /> : <Play aria-hidden="true" />}
                disabled={r.state !== 'ready'}
                onClick={() => setPlaying(playing === r.id ? null : r.id)}
              >
                {playing === r.id ? t('call.closePlayer') : t('call.play')}
              </Button>
              <Button
                size="small"
                icon={<FolderOpen aria-hidden="true" />}
                disabled={r.state !== 'ready'}
                onClick={() => void reveal(r.id, r.path)}
              >
                {t('call.reveal')}
              </Button>
              <Button
                size="small"
                variant="danger"
                icon={<Trash2 aria-hidden="true" />}
                testId="recordings-delete"
                disabled={r.state === 'recording'}
                onClick={() => void remove(r.id, r.roomName || t('call.direct'))}
              >
                {t('call.delete')}
              </Button>
            </div>
            {playing === r.id ? <video className="player" src={r.url} controls autoPlay /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
