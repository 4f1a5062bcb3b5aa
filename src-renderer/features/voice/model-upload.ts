/**
 * The browser host's way to import a model chosen with the page's file picker: the file goes
 * to the host as it is (see src-shared/ipc/model-upload.ts), with progress as it is sent.
 * XMLHttpRequest rather than fetch: only it reports upload progress.
 */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { Envelope } from '../../../src-shared/ipc/envelope';
import type { VoiceModelStatus } from '../../../src-shared/ipc/voice-types';
import type { VoiceLanguage } from '../../../src-shared/settings';
import { MODEL_UPLOAD_PATH } from '../../../src-shared/ipc/model-upload';

export function uploadModel(
  language: VoiceLanguage,
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<VoiceModelStatus> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ language, name: file.name });
    request.open('POST', `${MODEL_UPLOAD_PATH}?${query}`);
    request.responseType = 'json';
    request.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    request.onload = () => {
      const envelope = request.response as Envelope<VoiceModelStatus> | null;
      if (envelope?.ok) resolve(envelope.value);
      else if (envelope) reject(ApiError.fromBody(envelope.error));
      else reject(new ApiError('unavailable', `The app host answered ${request.status}.`));
    };
    request.onerror = () =>
      reject(new ApiError('unavailable', 'The app host could not be reached to send the model.'));
    request.send(file);
  });
}
