import { AlertTriangle, Download, Mic, MicOff, Radio } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-shared/settings';
import { call, useLive } from '../../lib/api';
import { examplePhrase, COMMANDS_BY_ID } from './voice-commands';
import { Button } from '../../ui/Button';
import { ProgressBar } from '../../ui/ProgressBar';

/**
 * Voice control in one state at a time, with the one thing to do next: off (turn it on), needs a
 * model (get one below), downloading (progress), ready (what to say), listening, or an error (what
 * to do about it).
 */
export function VoiceStateCard({ settings, indicator }: { settings: Settings; indicator: string }) {
  const { t, i18n } = useTranslation();
  const models = useLive('voice.models.status', 'voice.models.changed');
  const voice = settings.voice;
  const model = models.value?.find((m) => m.language === voice.language) ?? null;
  const wake = voice.wakePhrases[voice.language][0] ?? '';
  const fixed = i18n.getFixedT(voice.language);
  const example = examplePhrase(
    COMMANDS_BY_ID.get('system.mute')?.phrases[voice.language][0] ?? '',
    {
      target: fixed('voice.exampleTarget'),
      text: fixed('voice.exampleText'),
    },
  );

  let state: 'off' | 'needsModel' | 'downloading' | 'error' | 'ready' | 'listening';
  if (model?.state === 'downloading' || model?.state === 'importing') state = 'downloading';
  else if (model?.state === 'error') state = 'error';
  else if (!voice.enabled) state = 'off';
  else if (!model || model.state !== 'ready') state = 'needsModel';
  else if (indicator === 'listening' || indicator === 'heard') state = 'listening';
  else state = 'ready';

  const icon = {
    off: <MicOff aria-hidden="true" />,
    needsModel: <Download aria-hidden="true" />,
    downloading: <Download aria-hidden="true" />,
    error: <AlertTriangle aria-hidden="true" />,
    ready: <Mic aria-hidden="true" />,
    listening: <Radio aria-hidden="true" />,
  }[state];
  const progress = model?.progress;
  const percent =
    progress && progress.totalBytes
      ? Math.round((progress.receivedBytes / progress.totalBytes) * 100)
      : null;

  return (
    <div className={`voice-state-card state-${state}`} data-testid="voice-state" data-state={state}>
      <div className="voice-state-icon">{icon}</div>
      <div className="voice-state-text">
        <strong>{t(`voice.card.${state}.title`)}</strong>
        <span>
          {t(`voice.card.${state}.text`, {
            wake,
            example,
            percent: percent ?? 0,
            language: t(`voice.languages.${voice.language}`),
          })}
        </span>
        {state === 'downloading' && percent !== null ? (
          <ProgressBar
            max={100}
            value={percent}
            label={t('voice.modelState.downloading')}
            showPercent={false}
          />
        ) : null}
      </div>
      {state === 'off' ? (
        <Button
          variant="primary"
          testId="voice-state-enable"
          onClick={() => void call('settings.update', { voice: { enabled: true } })}
        >
          {t('voice.card.off.action')}
        </Button>
      ) : state === 'needsModel' || state === 'error' ? (
        <Button
          onClick={() =>
            document
              .querySelector('[data-testid="voice-model"]')
              ?.scrollIntoView({ block: 'center' })
          }
        >
          {t('voice.card.needsModel.action')}
        </Button>
      ) : null}
    </div>
  );
}
