/**
 * Settings > Voice: on/off, language, microphone, the speech model (download with progress,
 * import, remove), wake phrases checked against the model's vocabulary, sensitivity, cues.
 */
import { useEffect, useRef, useState } from 'react';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { IconButton } from '../../ui/IconButton';
import { call, useAppInfo, useLive } from '../../lib/api';
import { formatBytes } from '../../lib/format';
import { useMediaDevices } from '../../lib/media-devices';
import { WakePhrase, type Settings, type VoiceLanguage } from '../../../src-shared/settings';
import type { VoiceModelStatus } from '../../../src-shared/ipc/voice-types';
import { errorText } from '../chats/error-text';
import { confidencesUninformative, useVoiceRuntime } from './voice-session';
import { uploadModel } from './model-upload';
import { Button } from '../../ui/Button';
import { Select, Slider, Switch } from '../../ui/Field';
import { ProgressBar } from '../../ui/ProgressBar';

function ModelPanel({ model, desktop }: { model: VoiceModelStatus; desktop: boolean }) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [sending, setSending] = useState<{ sent: number; total: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (work: () => Promise<unknown>) => {
    setError(null);
    work().catch((err: unknown) => setError(errorText(err, t)));
  };
  const language = model.language;
  const progress = model.progress;
  return (
    <div className="voice-model" data-testid="voice-model" data-state={model.state}>
      <p>
        <strong>{t('voice.model')}:</strong>{' '}
        {t(`voice.modelState.${model.state}`, {
          name: model.name ?? '',
          size: model.sizeBytes ? formatBytes(model.sizeBytes, t) : '',
        })}
      </p>
      {model.state === 'ready' && model.checksum ? (
        <p className="muted">
          {t(`voice.checksum.${model.checksum}`, { sha: model.sha256?.slice(0, 16) ?? '' })}
        </p>
      ) : null}
      {model.state === 'ready' && model.runtimeGrammar === false ? (
        <p className="muted">{t('voice.noGrammar')}</p>
      ) : null}
      {model.error ? (
        <p role="alert" data-testid="voice-model-error">
          {model.error}
        </p>
      ) : null}
      {sending ? (
        <ProgressBar
          testId="voice-model-upload-progress"
          max={sending.total}
          value={sending.sent}
          label={t('voice.sending')}
          showLabel
        />
      ) : null}
      {progress ? (
        <ProgressBar
          testId="voice-model-progress"
          max={progress.totalBytes ?? undefined}
          value={progress.receivedBytes}
          label={t('voice.modelState.downloading')}
          showLabel
        />
      ) : null}
      <div className="row">
        {model.download && model.state !== 'downloading' ? (
          <Button
            testId="voice-model-download"
            onClick={() => run(() => call('voice.models.download', { language }))}
          >
            {t('voice.download', { size: model.download.approxSizeMb })}
          </Button>
        ) : null}
        {model.state === 'downloading' ? (
          <Button onClick={() => run(() => call('voice.models.cancel', { language }))}>
            {t('voice.cancelDownload')}
          </Button>
        ) : null}
        {desktop ? (
          <Button onClick={() => run(() => call('voice.models.choose', { language }))}>
            {t('voice.choose')}
          </Button>
        ) : (
          <>
            {/* The browser host: the page's own file picker; the file is sent to the host. */}
            <Button
              testId="voice-model-file-choose"
              disabled={sending !== null || model.state === 'importing'}
              onClick={() => fileInput.current?.click()}
            >
              {t('voice.chooseFile')}
            </Button>
            <input
              ref={fileInput}
              type="file"
              hidden
              data-testid="voice-model-file"
              accept=".zip,.tar.gz,.tgz"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                setSending({ sent: 0, total: file.size });
                run(() =>
                  uploadModel(language, file, (sent, total) => setSending({ sent, total })).finally(
                    () => setSending(null),
                  ),
                );
              }}
            />
          </>
        )}
        {model.state === 'ready' ? (
          <Button onClick={() => run(() => call('voice.models.remove', { language }))}>
            {t('voice.remove')}
          </Button>
        ) : null}
      </div>
      {/* Folders cannot be picked in a page: the browser host also takes a path it can read. */}
      {desktop ? null : (
        <form
          className="row voice-model-path-form"
          onSubmit={(e) => {
            e.preventDefault();
            // Imported: the field is emptied; refused: the path stays, to be corrected.
            if (path.trim())
              run(() =>
                call('voice.models.import', { language, path: path.trim() }).then(() =>
                  setPath(''),
                ),
              );
          }}
        >
          <input
            data-testid="voice-model-path"
            aria-label={t('voice.importPath')}
            placeholder={t('voice.importPath')}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <Button
            type="submit"
            testId="voice-model-import"
            disabled={!path.trim() || model.state === 'importing'}
          >
            {t('voice.import')}
          </Button>
        </form>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}

function WakePhrases({
  settings,
  vocabulary,
}: {
  settings: Settings;
  vocabulary: Set<string> | null;
}) {
  const { t } = useTranslation();
  const language = settings.voice.language;
  const phrases = settings.voice.wakePhrases[language];
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = (next: string[]) =>
    call('settings.update', {
      voice: { wakePhrases: { ...settings.voice.wakePhrases, [language]: next } },
    }).catch((err: unknown) => setError(errorText(err, t)));
  const unknown = (phrase: string) =>
    vocabulary ? phrase.split(' ').filter((w) => !vocabulary.has(w)) : [];
  return (
    <fieldset>
      <legend>{t('voice.wakePhrases')}</legend>
      <p className="muted">{t('voice.wakeHint')}</p>
      <ul className="wake-phrases">
        {phrases.map((phrase) => {
          const missing = unknown(phrase);
          return (
            <li key={phrase} data-testid="voice-wake-phrase">
              {/* The phrase is in the commands' language, which may not be the UI's. */}
              <span lang={language}>«{phrase}»</span>
              {missing.length ? (
                <span className="muted">
                  {t('voice.unknownWords', { words: missing.join(', ') })}
                </span>
              ) : null}
              <IconButton
                label={t('voice.removeWakeShort')}
                icon={<X aria-hidden="true" />}
                className="small"
                aria-description={phrase}
                onClick={() => void save(phrases.filter((p) => p !== phrase))}
              />
            </li>
          );
        })}
      </ul>
      <form
        className="row voice-wake-form"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = WakePhrase.safeParse(draft);
          if (!parsed.success) return setError(t('voice.wakeInvalid'));
          const missing = unknown(parsed.data);
          if (missing.length)
            return setError(t('voice.unknownWords', { words: missing.join(', ') }));
          setError(null);
          setDraft('');
          if (!phrases.includes(parsed.data)) void save([...phrases, parsed.data]);
        }}
      >
        <input
          data-testid="voice-wake-input"
          aria-label={t('voice.wakePhrases')}
          placeholder={t('voice.wakePlaceholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <Button type="submit">{t('voice.addWake')}</Button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </fieldset>
  );
}

/** `title`: the section's heading (on the Voice screen, whose own title is already "Voice"). */
export function VoiceSettingsSection({ settings, title }: { settings: Settings; title?: string }) {
  const { t } = useTranslation();
  const phase = useVoiceRuntime((r) => r.phase);
  const voiceError = useVoiceRuntime((r) => r.error);
  const confidence = useVoiceRuntime((r) => r.confidence);
  const uninformative = confidencesUninformative(confidence);
  const models = useLive('voice.models.status', 'voice.models.changed');
  const host = useAppInfo()?.host ?? null;
  const { devices } = useMediaDevices();
  const voice = settings.voice;
  const model = models.value?.find((m) => m.language === voice.language) ?? null;
  // The vocabulary belongs to one installed model; a stale answer for another one is ignored.
  const vocabularyKey = model?.state === 'ready' ? `${voice.language}:${model.sha256 ?? ''}` : null;
  const [loaded, setLoaded] = useState<{ key: string; words: Set<string> } | null>(null);
  const vocabulary = loaded && loaded.key === vocabularyKey ? loaded.words : null;
  useEffect(() => {
    if (!vocabularyKey) return;
    let active = true;
    call('voice.models.vocabulary', { language: voice.language }).then(
      (words) => active && setLoaded({ key: vocabularyKey, words: new Set(words) }),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [voice.language, vocabularyKey]);
  const update = (patch: Partial<Settings['voice']>) =>
    void call('settings.update', { voice: patch }).catch(() => undefined);

  return (
    <section className="voice-settings" aria-labelledby="voice-settings-title">
      <h2 id="voice-settings-title">{title ?? t('voice.title')}</h2>
      <Switch
        label={t('voice.enable')}
        testId="voice-toggle"
        checked={voice.enabled}
        onChange={(enabled) => update({ enabled })}
      />
      {phase === 'error' && voiceError ? (
        <p role="alert" data-testid="voice-error">
          {t('voice.phase.error')}: {voiceError}
        </p>
      ) : null}
      {phase === 'loading' ? <p className="muted">{t('voice.phase.loading')}</p> : null}
      <Select
        label={t('voice.language')}
        testId="voice-language"
        value={voice.language}
        onChange={(e) => update({ language: e.target.value as VoiceLanguage })}
        options={(['en', 'ru'] as const).map((l) => ({
          value: l,
          label: t(`voice.languages.${l}`),
        }))}
      />
      <Select
        label={t('voice.microphone')}
        testId="voice-microphone"
        value={voice.microphoneId}
        onChange={(e) => update({ microphoneId: e.target.value })}
        options={[
          { value: '', label: t('voice.defaultMicrophone') },
          ...devices
            .filter((d) => d.kind === 'audioinput' && d.deviceId)
            .map((d) => ({ value: d.deviceId, label: d.label || d.deviceId.slice(0, 8) })),
        ]}
      />
      {model ? <ModelPanel model={model} desktop={host === 'electron'} /> : null}
      <WakePhrases settings={settings} vocabulary={vocabulary} />
      <Slider
        label={t('voice.sensitivity')}
        hint={
          uninformative
            ? t('voice.sensitivityUninformative', {
                words: confidence?.words ?? 0,
                certain: confidence?.certain ?? 0,
              })
            : t('voice.sensitivityHint')
        }
        disabled={uninformative}
        data-uninformative={uninformative ? 'true' : undefined}
        min={0}
        max={1}
        step={0.05}
        testId="voice-sensitivity"
        value={voice.sensitivity}
        valueText={`${Math.round(voice.sensitivity * 100)}%`}
        onChange={(e) => update({ sensitivity: Number(e.target.value) })}
      />
      <Switch
        label={t('voice.soundCues')}
        testId="voice-sound-cues"
        checked={voice.soundCues}
        onChange={(soundCues) => update({ soundCues })}
      />
      <p className="muted">{t('voice.hotkeys')}</p>
    </section>
  );
}
