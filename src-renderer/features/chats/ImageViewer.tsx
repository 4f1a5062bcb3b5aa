import { ChevronLeft, ChevronRight, Download, X, ZoomIn, ZoomOut } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { Dialog } from '../../ui/Dialog';
import { IconButton } from '../../ui/IconButton';
import { Button } from '../../ui/Button';
import { isInlineImage, mediaUrl, openViewer, saveFile, useBlob, useViewer } from './media';

const ZOOMS = [1, 1.5, 2, 3, 4];

/**
 * The room's images one at a time: the full image (its thumbnail until it is here), zoom, the
 * previous and next image of the room (arrow keys), and Save. Shown over everything (a modal).
 */
export function ImageViewer({ roomId, messages }: { roomId: string; messages: LocalMessage[] }) {
  const target = useViewer();
  if (!target || target.roomId !== roomId) return null;
  // One dialog while the user goes from image to image (reopening it would lose the focus).
  return <Viewer roomId={roomId} sha256={target.sha256} messages={messages} />;
}

function Viewer({
  roomId,
  sha256,
  messages,
}: {
  roomId: string;
  sha256: string;
  messages: LocalMessage[];
}) {
  const { t } = useTranslation();
  const images = messages.flatMap((m) =>
    m.deleted ? [] : m.files.filter(isInlineImage).map((file) => ({ file, message: m })),
  );
  const index = images.findIndex((i) => i.file.sha256 === sha256);
  const current = images[index];
  const full = useBlob(roomId, sha256, current?.file.local ?? false, Boolean(current));
  // 0: fit the window; otherwise a scale of the image's own size. Each image starts fitted.
  const [zoomOf, setZoomOf] = useState({ sha256, zoom: 0 });
  const zoom = zoomOf.sha256 === sha256 ? zoomOf.zoom : 0;
  const setZoom = (value: number) => setZoomOf({ sha256, zoom: value });
  if (!current) return null;
  const { file, message } = current;
  const go = (step: number) => {
    const next = images[index + step];
    if (next) openViewer({ roomId, sha256: next.file.sha256 });
  };
  const zoomBy = (step: number) => {
    const at = ZOOMS.indexOf(zoom);
    const next =
      step > 0 ? (at < 0 ? 0 : Math.min(ZOOMS.length - 1, at + 1)) : at <= 0 ? -1 : at - 1;
    setZoom(next < 0 ? 0 : ZOOMS[next]!);
  };
  const onKey = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowLeft: () => go(-1),
      ArrowRight: () => go(1),
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
      '0': () => setZoom(0),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };
  const src = full.ready ? mediaUrl(file.sha256, file.mime) : mediaUrl(file.thumb!, 'image/jpeg');
  return (
    <Dialog
      label={t('files.viewer', { name: file.name })}
      className="image-viewer"
      testId="chat-viewer"
      // The viewer itself, not a button: a button's tooltip would take the first Esc.
      initialFocus=".image-viewer-body"
      onClose={() => openViewer(null)}
    >
      {/* Keys work wherever focus is inside the viewer. */}
      <div className="image-viewer-body" onKeyDown={onKey} role="presentation" tabIndex={-1}>
        <header className="image-viewer-bar">
          <span className="image-viewer-title">
            <strong>{file.name}</strong>
            <span className="muted">
              {message.senderName} · {t('files.position', { at: index + 1, of: images.length })}
            </span>
          </span>
          <IconButton
            label={t('files.zoomOut')}
            shortcut="-"
            icon={<ZoomOut aria-hidden="true" />}
            data-testid="chat-viewer-zoom-out"
            disabled={zoom === 0}
            onClick={() => zoomBy(-1)}
          />
          <span className="image-viewer-zoom" data-testid="chat-viewer-zoom" aria-live="polite">
            {zoom === 0 ? t('files.fit') : `${Math.round(zoom * 100)}%`}
          </span>
          <IconButton
            label={t('files.zoomIn')}
            shortcut="+"
            icon={<ZoomIn aria-hidden="true" />}
            data-testid="chat-viewer-zoom-in"
            disabled={zoom === ZOOMS[ZOOMS.length - 1]}
            onClick={() => zoomBy(1)}
          />
          <Button
            size="small"
            testId="chat-viewer-save"
            disabled={!full.ready}
            onClick={() => saveFile(file)}
          >
            <Download aria-hidden="true" />
            {t('files.save')}
          </Button>
          <IconButton
            label={t('files.close')}
            shortcut="Esc"
            icon={<X aria-hidden="true" />}
            data-testid="chat-viewer-close"
            onClick={() => openViewer(null)}
          />
        </header>
        <div className={`image-viewer-stage${zoom ? ' zoomed' : ''}`}>
          <IconButton
            label={t('files.previous')}
            shortcut="←"
            icon={<ChevronLeft aria-hidden="true" />}
            className="image-viewer-nav prev"
            data-testid="chat-viewer-prev"
            disabled={index <= 0}
            onClick={() => go(-1)}
          />
          <img
            src={src}
            alt={file.name}
            data-testid="chat-viewer-image"
            data-full={full.ready ? 'true' : 'false'}
            width={zoom && file.width ? Math.round(file.width * zoom) : undefined}
            className={zoom ? 'zoomed' : 'fit'}
          />
          <IconButton
            label={t('files.next')}
            shortcut="→"
            icon={<ChevronRight aria-hidden="true" />}
            className="image-viewer-nav next"
            data-testid="chat-viewer-next"
            disabled={index >= images.length - 1}
            onClick={() => go(1)}
          />
        </div>
        {full.error ? (
          <p className="image-viewer-error" role="alert">
            {full.error}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
