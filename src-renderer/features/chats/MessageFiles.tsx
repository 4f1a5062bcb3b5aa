import { Download, ExternalLink, FolderOpen, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalFile, LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call, useAppInfo } from '../../lib/api';
import { formatBytes } from '../../lib/format';
import { Button } from '../../ui/Button';
import { IconButton } from '../../ui/IconButton';
import { ProgressBar } from '../../ui/ProgressBar';
import { Skeleton } from '../../ui/Skeleton';
import { FileIcon } from './FileIcon';
import {
  fetchBlob,
  isInlineImage,
  mediaUrl,
  openViewer,
  saveFile,
  useBlob,
  useTransfer,
} from './media';

/** The files of a message: images as thumbnails that open the viewer, other files as cards. */
export function MessageFiles({ message }: { message: LocalMessage }) {
  const { t } = useTranslation();
  const upload = useTransfer(`up:${message.clientId}`);
  const uploading = message.state === 'pending' && message.seq === null;
  return (
    <div className="message-files">
      {message.files.map((file) =>
        isInlineImage(file) ? (
          <ImageThumb key={file.sha256} roomId={message.roomId} file={file} />
        ) : (
          <FileCard key={file.sha256} roomId={message.roomId} file={file} />
        ),
      )}
      {uploading ? (
        <div className="file-upload" data-testid="chat-file-upload">
          <ProgressBar
            label={t('files.uploading')}
            value={upload ? upload.done / Math.max(1, upload.total) : 0}
            showPercent={false}
          />
          <span className="muted">
            {upload
              ? t('files.progress', {
                  done: formatBytes(upload.done, t),
                  total: formatBytes(upload.total, t),
                })
              : t('files.waiting')}
          </span>
          <IconButton
            label={t('files.cancelUpload')}
            icon={<X aria-hidden="true" />}
            className="small"
            data-testid="chat-file-cancel"
            onClick={() => void call('files.cancelUpload', { clientId: message.clientId })}
          />
        </div>
      ) : null}
    </div>
  );
}

function ImageThumb({ roomId, file }: { roomId: string; file: LocalFile }) {
  const { t } = useTranslation();
  const thumb = useBlob(roomId, file.thumb, file.thumbLocal, true);
  // The thumbnail's box keeps the image's shape, so nothing jumps when it arrives.
  const ratio = file.width && file.height ? file.width / file.height : 4 / 3;
  const width = Math.round(Math.min(360, 240 * Math.max(ratio, 0.75)));
  const height = Math.round(width / ratio);
  return (
    <button
      type="button"
      className="message-image"
      data-testid="chat-image"
      data-ready={thumb.ready ? 'true' : 'false'}
      aria-label={t('files.openImage', { name: file.name })}
      onClick={() => openViewer({ roomId, sha256: file.sha256 })}
    >
      {thumb.ready ? (
        <img
          src={mediaUrl(file.thumb!, 'image/jpeg')}
          alt={file.name}
          width={width}
          height={height}
          data-testid="chat-image-thumb"
        />
      ) : (
        <span className="message-image-placeholder" style={{ width, height }}>
          {thumb.error ? <span className="muted">{thumb.error}</span> : <Skeleton lines={1} />}
        </span>
      )}
    </button>
  );
}

function FileCard({ roomId, file }: { roomId: string; file: LocalFile }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const download = useTransfer(`down:${file.sha256}`);
  const [state, setState] = useState<{ busy: boolean; error: string | null; here: boolean }>({
    busy: false,
    error: null,
    here: file.local,
  });
  const here = state.here || file.local;
  const save = async () => {
    setState({ busy: true, error: null, here });
    try {
      await fetchBlob(roomId, file.sha256);
      setState({ busy: false, error: null, here: true });
      saveFile(file);
    } catch (error) {
      setState({
        busy: false,
        error: error instanceof Error ? error.message : String(error),
        here,
      });
    }
  };
  return (
    <div className="file-card" data-testid="chat-file" data-type={file.mime}>
      <FileIcon mime={file.mime} size={28} />
      <div className="file-card-text">
        <span className="file-card-name" title={file.name}>
          {file.name}
        </span>
        <span className="muted">
          {formatBytes(file.size, t)} · {file.mime}
        </span>
        {state.busy && download ? (
          <ProgressBar
            label={t('files.downloading')}
            value={download.done / Math.max(1, download.total)}
          />
        ) : null}
        {state.error ? (
          <span className="file-card-error" role="alert">
            {state.error}
          </span>
        ) : null}
      </div>
      <div className="file-card-actions">
        {state.busy ? (
          <Button
            size="small"
            variant="ghost"
            testId="chat-file-cancel-download"
            onClick={() => void call('files.cancelDownload', { sha256: file.sha256 })}
          >
            {t('chats.cancel')}
          </Button>
        ) : (
          <Button size="small" testId="chat-file-download" onClick={() => void save()}>
            <Download aria-hidden="true" />
            {t('files.download')}
          </Button>
        )}
        {info?.host === 'electron' ? (
          <IconButton
            label={t('files.open')}
            icon={<ExternalLink aria-hidden="true" />}
            className="small"
            data-testid="chat-file-open"
            onClick={() =>
              void fetchBlob(roomId, file.sha256)
                .then(() => call('files.open', { sha256: file.sha256, name: file.name }))
                .catch((error: unknown) =>
                  setState({
                    busy: false,
                    error: error instanceof Error ? error.message : String(error),
                    here,
                  }),
                )
            }
          />
        ) : null}
        {here && info?.host === 'electron' ? (
          <IconButton
            label={t('files.showInFolder')}
            icon={<FolderOpen aria-hidden="true" />}
            className="small"
            data-testid="chat-file-reveal"
            onClick={() => void call('files.reveal', { sha256: file.sha256 })}
          />
        ) : null}
      </div>
    </div>
  );
}
