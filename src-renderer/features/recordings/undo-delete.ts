import type { TFunction } from 'i18next';
import { call } from '../../lib/api';
import { toast } from '../../ui/Toast';
import { errorText } from '../chats/error-text';

/** Brings deleted recordings back (the Undo of a delete or of clearing them in Settings). */
export async function undoDelete(recordingIds: string[], t: TFunction): Promise<void> {
  try {
    const restored = await call('recordings.undoDelete', { recordingIds });
    if (restored < recordingIds.length) toast({ text: t('call.undoTooLate'), tone: 'error' });
  } catch (e) {
    toast({ text: errorText(e, t), tone: 'error' });
  }
}
