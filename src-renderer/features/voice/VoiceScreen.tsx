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

/** The microphone's frames as the recognizer gets them, with the live level meter. */
function VoiceStats() {
  const { t } = useTranslation();
  const stats = useVoiceRuntime((r) => r.stats);
  const speech = useVoiceRuntime((r) => r.speech);
  if (!stats) return null;
  return (
    <div
      className="voice-meter"
      data-testid="voice-stats"
      data-frames={stats.frames}
      data-samples={stats.samples}
      data-rate={stats.sampleRate}
      data-peak={stats.peak.toFixed(4)}
      data-results={stats.results}
      data-speech-start-ms={speech ? Math.round(speech.startMs) : ''}
      data-speech-end-ms={speech?.endMs != null ? Math.round(speech.endMs) : ''}
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
  );
}

export default function VoiceScreen() {
  const { t } = useTranslation();
  // Part by part: the statistics (twice a second) re-render only VoiceStats.
  const indicator = useVoiceRuntime((r) => r.indicator);
  const last = useVoiceRuntime((r) => r.last);
  const canUndo = useVoiceRuntime((r) => r.canUndo);
  const vadError = useVoiceRuntime((r) => (r.phase === 'ready' ? r.vadError : null));
  const available = useVoiceRuntime((r) => r.available);
  const historyVersion = useVoiceRuntime((r) => r.historyVersion);
  const settings = useLive('settings.get', 'settings.changed');
  const language = settings.value?.voice.language ?? 'en';
  return (
    <section data-testid="screen-voice" className="voice">
      <h1>{t('voice.title')}</h1>
      <p
        className={`voice-status ${indicator}`}
        data-testid="voice-status"
        data-state={indicator}
        role="status"
      >
        {t(`voice.state.${indicator}`)}
      </p>
      {/* Two columns on a wide window: the state and its settings; what to say and what was said. */}
      <div className="voice-columns">
        <div className="voice-main">
          {settings.value ? (
            <VoiceStateCard settings={settings.value} indicator={indicator} />
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
              {canUndo ? (
                <Button testId="voice-undo" onClick={() => void undoLastVoiceAction()}>
                  {t('voice.undo')}
                </Button>
              ) : null}
            </p>
          ) : null}
          <VoiceStats />
          {vadError ? (
            <p className="muted" data-testid="voice-vad-error" role="note">
              {t('voice.meter.detectorFailed', { error: vadError })}
            </p>
          ) : null}
          {settings.value ? (
            <VoiceSettingsSection settings={settings.value} title={t('voice.settingsTitle')} />
          ) : null}
        </div>
        <div className="voice-side">
          <CommandList available={available} language={language} />
          <History version={historyVersion} />
        </div>
      </div>
    </section>
  );
}
