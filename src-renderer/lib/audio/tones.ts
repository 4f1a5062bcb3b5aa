import { getUiIntents } from '../ui-intents';

let context: AudioContext | null = null;

/**
 * Plays short sine tones one after another (cues and the notification chime), at the app's
 * output volume. Made here rather than shipped as sound files: a few notes need no assets.
 */
export function playTones(frequencies: number[], { loudness = 0.15, step = 0.09 } = {}): void {
  try {
    context ??= new AudioContext({ latencyHint: 'playback' });
    const ctx = context;
    const volume = loudness * getUiIntents().outputVolume;
    if (volume <= 0) return;
    frequencies.forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const at = ctx.currentTime + i * step;
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(volume, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + step * 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + step);
    });
  } catch {
    // No audio output: what is shown still tells.
  }
}
