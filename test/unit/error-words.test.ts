import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { ApiError } from '../../src-shared/ipc/api-error';
import { en } from '../../src-shared/i18n/en';
import { settingsErrorText } from '../../src-renderer/features/settings/settings-errors';
import { downloadProblem } from '../../src-main/services/voice/voice-models';

describe('errors in words, the technical text behind Details', () => {
  let t: TFunction;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'en', resources: { en: { translation: en } } });
    t = i18n.t;
  });

  it('says which setting was refused and what a good value looks like', () => {
    const refused = new ApiError('invalid_input', 'invalid settings', [
      { path: 'serverUrl', message: 'must be a ws:// or wss:// URL' },
      { path: 'shortcuts.pushToTalk', message: 'not an accelerator' },
    ]);
    const { summary, detail } = settingsErrorText(refused, t);
    expect(summary).toContain('a server address starts with ws:// or wss://');
    expect(summary).toContain('“Push to talk (listen for one command)”');
    expect(summary).not.toContain('serverUrl');
    expect(detail).toBe(
      'serverUrl: must be a ws:// or wss:// URL; shortcuts.pushToTalk: not an accelerator',
    );
  });

  it('turns a download that could not reach its host into words and what to do', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND alphacephei.com'), {
      code: 'ENOTFOUND',
    });
    const failed = new TypeError('fetch failed', { cause });
    const text = downloadProblem(failed, 'https://alphacephei.com/vosk/models/x.zip');
    expect(text).toContain('the name alphacephei.com is not known on this network');
    expect(text).toContain('import the model from a file');
    expect(text).not.toMatch(/getaddrinfo|ENOTFOUND/);
    // Anything else keeps its own message.
    expect(downloadProblem(new Error('SHA-256 mismatch'), 'https://x/y')).toBe('SHA-256 mismatch');
  });
});
