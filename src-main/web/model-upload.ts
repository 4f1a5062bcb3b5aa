/**
 * The browser host's model upload (see src-shared/ipc/model-upload.ts): the page's file picker
 * cannot hand over a path, so the archive's bytes come as a POST body and are imported like a
 * path would be. The launch key has been checked before this runs; the Origin must be the
 * host's own (a form on another site cannot post a model here).
 */
import type http from 'node:http';
import { ApiError } from '../../src-shared/ipc/api-error';
import type { Envelope } from '../../src-shared/ipc/envelope';
import { VoiceLanguage } from '../../src-shared/settings';
import type { Logger } from '../../src-shared/log';
import { uploadTooLarge, type VoiceModelService } from '../services/voice/voice-models';
import { MODEL_ARCHIVE_LIMITS } from '../services/voice/model-archive';

export function handleModelUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  deps: { voiceModels: VoiceModelService; origins: () => string[]; logger: Logger },
): void {
  const answer = (status: number, envelope: Envelope<unknown>) => {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(JSON.stringify(envelope));
  };
  const refuse = (status: number, error: ApiError) => {
    // The body is not read: say so and close, rather than drain what may be gigabytes.
    res.setHeader('Connection', 'close');
    answer(status, { ok: false, error: error.toBody() });
  };
  if (req.method !== 'POST')
    return refuse(405, new ApiError('invalid_input', 'Send the model with POST.'));
  if (!deps.origins().includes(req.headers.origin ?? ''))
    return refuse(403, new ApiError('forbidden', 'Only this app’s own page may send a model.'));
  const language = VoiceLanguage.safeParse(url.searchParams.get('language'));
  if (!language.success)
    return refuse(400, new ApiError('invalid_input', 'Say which language the model is for.'));
  if (Number(req.headers['content-length'] ?? 0) > MODEL_ARCHIVE_LIMITS.bytes)
    return refuse(413, uploadTooLarge());
  const name = url.searchParams.get('name') ?? '';
  deps.voiceModels.importUpload(language.data, name.slice(0, 300), req).then(
    (status) => answer(200, { ok: true, value: status }),
    (error: unknown) => {
      if (error instanceof ApiError) return refuse(400, error);
      deps.logger.error('model upload failed', { error });
      refuse(500, new ApiError('internal', 'Could not import the model.'));
    },
  );
}
