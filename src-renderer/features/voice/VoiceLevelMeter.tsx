/**
 * The microphone as voice control hears it, live: the input level on a decibel scale and
 * whether the voice detector hears speech, so a user can see why a command did not run (too
 * quiet, too noisy, or not taken for speech). The level is drawn on animation frames from the
 * session's meter, not through React state; only a change of speech state re-renders.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { voiceMeter } from './voice-session';

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
    let frame = 0;
    const draw = () => {
      const { level, speech, probability } = voiceMeter();
      const fraction = levelFraction(level);
      if (bar.current) bar.current.style.width = `${(fraction * 100).toFixed(1)}%`;
      if (root.current) {
        root.current.dataset.level = level.toFixed(4);
        root.current.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      }
      // React skips the render when the state is unchanged.
      setHeard(probability === null ? 'unknown' : speech ? 'speech' : 'quiet');
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
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
