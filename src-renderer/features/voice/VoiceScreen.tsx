/**
 * The Voice screen: the listening state, the last command with undo, the microphone level and
 * what reaches the recognizer, what can be said right now, the searchable command history, and
 * the voice settings.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useLive } from '../../lib/api';
import { clockTime } from '../../lib/format';
import type { VoiceHistoryEntry } from '../../../src-shared/ipc/voice-types';
import { COMMANDS_BY_ID, VOICE_CATEGORIES, examplePhrase } from './voice-commands';
import { undoLastVoiceAction, useVoiceRuntime } from './voice-session';
import { VoiceSettingsSection } from './VoiceSettingsSection';
import { VoiceStateCard } from './VoiceStateCard';
import { VoiceLevelMeter } from './VoiceLevelMeter';
import { Button } from '../../ui/Button';

function History({ version }: { version: number }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<VoiceHistoryEntry[]>([]);
  const [cleared, setCleared] = useState(0);
  useEffect(() => {
    let active = true;
    const timer = setTimeout(() => {
      call('voice.history.list', { query, limit: 200 }).then(
        (list) => active && setItems(list),
        () => undefined,
      );
    }, 120);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [query, version, cleared]);
  return (
    <section aria-labelledby="voice-history-title">
      <h2 id="voice-history-title">{t('voice.history')}</h2>
      <div className="row">
        <input
          type="search"
          data-testid="voice-history-search"
          aria-label={t('voice.historySearch')}
          placeholder={t('voice.historySearch')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Button
          testId="voice-history-clear"
          onClick={() =>
            void call('voice.history.clear', undefined).then(() => setCleared((n) => n + 1))
          }
        >
          {t('voice.clearHistory')}
        </Button>
      </div>
      {items.length === 0 ? <p className="muted">{t('voice.historyEmpty')}</p> : null}
      <table className="voice-history">
        <tbody>
          {items.map((item) => (
            <tr
              key={item.id}
              data-testid="voice-history-item"
              data-command={item.command ?? ''}
              data-category={item.category ?? ''}
              data-outcome={item.outcome}
            >
              <td>{clockTime(item.at, i18n.language)}</td>
              <td>«{item.text}»</td>
              <td>{item.command ?? '—'}</td>
              <td>{item.category ? t(`voice.category.${item.category}`) : ''}</td>
              <td>{Math.round(item.confidence * 100)}%</td>
              <td>
                {t(`voice.outcome.${item.outcome}`)}
                {item.outcome !== 'done'
                  ? ` (${t(`voice.outcome.${item.detail}`, item.detail)})`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CommandList({ available, language }: { available: string[]; language: 'en' | 'ru' }) {
  const { t, i18n } = useTranslation();
  // Examples in the commands' language (which may differ from the UI's).
  const fixed = i18n.getFixedT(language);
  const examples = { target: fixed('voice.exampleTarget'), text: fixed('voice.exampleText') };
  const shown = new Set(available);
  return (
    <section aria-labelledby="voice-commands-title" data-testid="voice-commands-list">
      <h2 id="voice-commands-title">{t('voice.canSay')}</h2>
      {VOICE_CATEGORIES.map((category) => (
        <div key={category}>
          <h3>{t(`voice.category.${category}`)}</h3>
          <ul lang={language} className="voice-examples">
            {[...COMMANDS_BY_ID.values()]
              .filter((c) => c.category === category && (shown.size === 0 || shown.has(c.id)))
              .map((c) => (
                <li key={c.id} data-command={c.id}>
                  {c.phrases[language]
                    .slice(0, 2)
                    .map((p) => `«${examplePhrase(p, examples)}»`)
                    .join(', ')}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

export default function VoiceScreen() {
  const { t } = useTranslation();
  const runtime = useVoiceRuntime();
  const settings = useLive('settings.get', 'settings.changed');
  const stats = runtime.stats;
  const last = runtime.last;
  const language = settings.value?.voice.language ?? 'en';
  return (
    <section data-testid="screen-voice" className="voice">
      <h1>{t('voice.title')}</h1>
      <p
        className={`voice-status ${runtime.indicator}`}
        data-testid="voice-status"
        data-state={runtime.indicator}
        role="status"
      >
        {t(`voice.state.${runtime.indicator}`)}
      </p>
      {/* Two columns on a wide window: the state and its settings; what to say and what was said. */}
      <div className="voice-columns">
        <div className="voice-main">
          {settings.value ? (
            <VoiceStateCard settings={settings.value} indicator={runtime.indicator} />
          ) : null}
          {last ? (
            <p
              data-testid="voice-last"
              data-command={last.command ?? ''}
              data-ok={String(last.ok)}
              data-audio-ms={Math.round(last.audioMs)}
            >
              <strong>{t('voice.last')}:</strong> «{last.text}» →{' '}
              {t(
                last.message.startsWith('voice.') ? last.message : `voice.outcome.${last.message}`,
                {
                  ...last.values,
                  defaultValue: last.message,
                },
              )}{' '}
              {runtime.canUndo ? (
                <Button testId="voice-undo" onClick={() => void undoLastVoiceAction()}>
                  {t('voice.undo')}
                </Button>
              ) : null}
            </p>
          ) : null}
          {stats ? (
            <div
              className="voice-meter"
              data-testid="voice-stats"
              data-frames={stats.frames}
              data-samples={stats.samples}
              data-rate={stats.sampleRate}
              data-peak={stats.peak.toFixed(4)}
              data-results={stats.results}
              data-speech-start-ms={runtime.speech ? Math.round(runtime.speech.startMs) : ''}
              data-speech-end-ms={
                runtime.speech?.endMs != null ? Math.round(runtime.speech.endMs) : ''
              }
            >
              <VoiceLevelMeter />
              <span className="muted">
                {t('voice.frames', {
                  frames: stats.frames,
                  seconds: (stats.samples / stats.sampleRate).toFixed(1),
                  rate: stats.sampleRate,
                })}
              </span>
            </div>
          ) : null}
          {runtime.vadError && runtime.phase === 'ready' ? (
            <p className="muted" data-testid="voice-vad-error" role="note">
              {t('voice.meter.detectorFailed', { error: runtime.vadError })}
            </p>
          ) : null}
          {settings.value ? (
            <VoiceSettingsSection settings={settings.value} title={t('voice.settingsTitle')} />
          ) : null}
        </div>
        <div className="voice-side">
          <CommandList available={runtime.available} language={language} />
          <History version={runtime.historyVersion} />
        </div>
      </div>
    </section>
  );
}
