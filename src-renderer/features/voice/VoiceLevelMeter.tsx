/**
 * The microphone as voice control hears it, live: the input level on a decibel scale and
 * whether the voice detector hears speech, so a user can see why a command did not run (too
 * quiet, too noisy, or not taken for speech). The level is drawn from the session's meter every
 * 50 ms (as often as it changes), not through React state; only a change of speech state
 * re-renders.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { voiceMeter } from './voice-session';

/** How often the meter is drawn: the capture's frame length. */
const FRAME_MS = 50;

/** RMS 0..1 → 0..1 on a −60…0 dBFS scale. */
export function levelFraction(rms: number): number {
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

export function VoiceLevelMeter() {
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const [heard, setHeard] = useState<'unknown' | 'speech' | 'quiet'>('unknown');
  useEffect(() => {
    let drawn = -1;
    const draw = () => {
      const { level, speech, probability } = voiceMeter();
      // The level changes with each 50 ms frame of audio: only a change is drawn, as a transform
      // (no layout).
      if (level !== drawn) {
        drawn = level;
        const fraction = levelFraction(level);
        if (bar.current) bar.current.style.transform = `scaleX(${fraction.toFixed(3)})`;
        if (root.current) {
          root.current.dataset.level = level.toFixed(4);
          root.current.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
        }
      }
      // React skips the render when the state is unchanged.
      setHeard(probability === null ? 'unknown' : speech ? 'speech' : 'quiet');
    };
    // As often as the microphone's frames come (50 ms): a loop on every screen frame kept the
    // page drawing 60 times a second for nothing.
    const timer = setInterval(draw, FRAME_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="voice-level">
      <span className="voice-level-label" aria-hidden="true">
        {t('voice.level')}
      </span>
      <div
        ref={root}
        className="voice-level-track"
        data-testid="voice-level"
        role="meter"
        aria-label={t('voice.level')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={0}
        data-speech={heard}
      >
        <div ref={bar} className="voice-level-bar" />
      </div>
      <span className="voice-level-speech" data-testid="voice-speech">
        {t(heard === 'unknown' ? 'voice.meter.noDetector' : `voice.meter.${heard}`)}
      </span>
    </div>
  );
}
