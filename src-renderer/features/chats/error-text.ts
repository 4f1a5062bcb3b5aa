import type { TFunction } from 'i18next';
import { ApiError } from '../../../src-shared/ipc/api-error';

/** Words for a failed call: known codes get a sentence the user can act on. */
export function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'offline':
        return t('chats.errors.offline');
      case 'not_found':
      case 'forbidden':
      case 'rate_limited':
        return t(`chats.errors.${error.code}`, { message: error.message });
      case 'invalid_input':
        return t('chats.errors.invalid_input', {
          message: error.issues?.map((i) => i.message).join('; ') || error.message,
        });
    }
  }
  return t('chats.errors.other', { message: (error as Error)?.message ?? String(error) });
}
