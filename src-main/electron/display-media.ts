/**
 * Screen sharing in Electron: getDisplayMedia in the renderer lands here; the sources (screens
 * and windows with thumbnails) go to the app's own picker and the chosen one is granted.
 */
import { desktopCapturer, session } from 'electron';
import type { ScreenPicker } from '../services/calls/screen-picker';
import type { Logger } from '../../src-shared/log';

export function handleDisplayMedia(picker: ScreenPicker, logger: Logger): void {
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    void (async () => {
      try {
        const sources = await desktopCapturer.getSources({
          types: ['screen', 'window'],
          thumbnailSize: { width: 320, height: 180 },
        });
        const chosen = await picker.pick(
          sources.map((s) => ({
            id: s.id,
            name: s.name,
            kind: s.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
            thumbnail: s.thumbnail.toDataURL(),
          })),
        );
        const source = sources.find((s) => s.id === chosen);
        // No source: the renderer's getDisplayMedia rejects (the user cancelled).
        callback(source ? { video: source } : {});
      } catch (error) {
        logger.error('screen sources could not be listed', { error });
        callback({});
      }
    })();
  });
}
