/**
 * The voice-activity detector's decisions (Silero VAD on onnxruntime-web with the model the app
 * ships, and the VoiceActivityDetector above it) on generated signals: where speech starts and
 * ends in silence, in pink noise at 10 dB, at −12 dB, and across a 500 ms pause inside a command.
 * The signal starts at 0.5 s; its voiced syllables fade in, so the start is seen a little later.
 */
import {
  VoiceActivityDetector,
  type VoiceActivityEvent,
} from '../../src-renderer/features/voice/voice-activity';
import { SpeechGate } from '../../src-renderer/features/voice/speech-gate';
import { VAD_FRAME_MS } from '../../src-renderer/lib/audio/silero-vad';
import { speechProbabilities } from '../support/silero-node';
import { concat, gain, mixAtSnr, pinkNoise, RATE, silence, speechBurst } from '../support/signals';
import { makeTempDir } from '../support/temp-dir';

const command = concat(silence(0.5), speechBurst(1.2), silence(1.5));
const paused = concat(
  silence(0.5),
  speechBurst(0.6, 5),
  silence(0.5),
  speechBurst(0.6, 9),
  silence(1.5),
);
const SIGNALS = {
  clean: command,
  noisy: mixAtSnr(command, pinkNoise(command.length), 10),
  soft: gain(command, -12),
  paused,
  silence: silence(3),
  noise: pinkNoise(3 * RATE),
};
type Name = keyof typeof SIGNALS;

const temp = makeTempDir();
const probabilities = new Map<Name, number[]>();
beforeAll(() => {
  const names = Object.keys(SIGNALS) as Name[];
  const out = speechProbabilities(
    temp.dir,
    names.map((name) => SIGNALS[name]),
  );
  names.forEach((name, i) => probabilities.set(name, out[i]!));
}, 60_000);
afterAll(() => temp.cleanup());

/** The detector's events over a signal, in seconds; `complete`: its words make a command. */
function decide(name: Name, complete = false): Array<{ kind: string; at: number; after?: number }> {
  const detector = new VoiceActivityDetector();
  const events: VoiceActivityEvent[] = [];
  for (const p of probabilities.get(name)!) {
    const event = detector.push(p, VAD_FRAME_MS);
    if (event?.kind === 'start') detector.setComplete(complete);
    if (event) events.push(event);
  }
  return events.map((e) =>
    e.kind === 'start'
      ? { kind: e.kind, at: e.atMs / 1000 }
      : { kind: e.kind, at: e.atMs / 1000, after: (e.decidedMs - e.atMs) / 1000 },
  );
}

function expectOneUtterance(name: Name, end: [number, number]): void {
  const events = decide(name, true);
  expect(events.map((e) => e.kind)).toEqual(['start', 'end']);
  const [start, stop] = events;
  expect(start!.at).toBeGreaterThanOrEqual(0.45);
  expect(start!.at).toBeLessThanOrEqual(0.75);
  expect(stop!.at).toBeGreaterThanOrEqual(end[0]);
  expect(stop!.at).toBeLessThanOrEqual(end[1]);
  // A whole command ends after the short trailing silence, not the long pause.
  expect(stop!.after).toBeLessThan(0.3);
}

describe('voice activity on generated signals', () => {
  it('finds a burst in silence, start and end', () => {
    expectOneUtterance('clean', [1.55, 1.85]);
  });

  it('ends speech in steady pink noise at 10 dB, where the level never falls', () => {
    expectOneUtterance('noisy', [1.55, 1.9]);
  });

  it('hears soft speech at −12 dB whole, start to end', () => {
    expectOneUtterance('soft', [1.55, 1.85]);
  });

  it('keeps a 500 ms pause inside an unfinished command in one utterance', () => {
    const events = decide('paused', false);
    expect(events.map((e) => e.kind)).toEqual(['start', 'end']);
    expect(events[1]!.at).toBeGreaterThan(2.1);
    // The same pause after words that already make a command ends it: two utterances.
    expect(decide('paused', true).map((e) => e.kind)).toEqual(['start', 'end', 'start', 'end']);
  });

  it('takes neither silence nor pink noise alone for speech', () => {
    expect(decide('silence')).toEqual([]);
    expect(decide('noise')).toEqual([]);
  });
});

describe('SpeechGate: only speech reaches the recognizer', () => {
  /** Frames of 512 samples, each filled with its own index, and what the recognizer got. */
  function run(probabilities: number[], complete = true) {
    const detector = new VoiceActivityDetector();
    const heard: number[] = [];
    const flushes: number[] = [];
    const gate = new SpeechGate(detector, {
      accept: (samples) => {
        for (let i = 0; i < samples.length; i += 512) heard.push(samples[i]!);
      },
      flush: () => flushes.push(heard.length),
    });
    // The microphone's 800-sample frames are cut into the detector's 512-sample ones.
    const audio = new Float32Array(probabilities.length * 512).map((_, i) => Math.floor(i / 512));
    for (let i = 0; i < audio.length; i += 800) gate.audio(audio.subarray(i, i + 800));
    probabilities.forEach((p) => {
      for (const event of gate.probabilities([p]))
        if (event.kind === 'start') detector.setComplete(complete);
    });
    return { heard, flushes };
  }
  const frames = (p: number, n: number) => new Array<number>(n).fill(p);

  it('passes speech with the moments before it, and none of the noise around it', () => {
    // 20 frames of noise, 15 of speech, 20 of noise.
    const { heard, flushes } = run([...frames(0.1, 20), ...frames(0.9, 15), ...frames(0.1, 20)]);
    // From 100 ms before where speech began (frame 20, at 640 ms: frames from 17, at 544 ms),
    // though the detector was sure only at frame 22; then the speech, then the post-roll (96 ms
    // = 3 frames). The rest of the noise, before and after, is dropped.
    expect(heard[0]).toBe(17);
    expect(heard.at(-1)).toBe(34 + 3);
    expect(heard).toEqual([...Array(heard.length).keys()].map((i) => heard[0]! + i));
    expect(flushes).toEqual([heard.length]);
  });

  it('passes a pause on when speech resumes after it, and holds it back when it does not', () => {
    // Speech, a 480 ms pause (15 frames), speech, silence; the words are not yet a command.
    const { heard, flushes } = run(
      [
        ...frames(0.1, 5),
        ...frames(0.9, 10),
        ...frames(0.1, 15),
        ...frames(0.9, 10),
        ...frames(0.1, 40),
      ],
      false,
    );
    expect(flushes).toHaveLength(1);
    // Every frame from the first speech to the last is there, the pause included.
    for (let i = 5; i < 40; i++) expect(heard).toContain(i);
    expect(Math.max(...heard)).toBe(39 + 3);
  });

  /** A gate fed 512-sample frames filled with their index, and the indexes the recognizer got. */
  function frameGate() {
    const detector = new VoiceActivityDetector();
    const heard: number[] = [];
    const gate = new SpeechGate(detector, {
      accept: (samples) => {
        for (let i = 0; i < samples.length; i += 512) heard.push(samples[i]!);
      },
      flush: () => undefined,
    });
    return { gate, heard, frame: (index: number) => new Float32Array(512).fill(index) };
  }

  it('passes everything on at once while push-to-talk holds it open, and nothing twice', () => {
    const { gate, heard, frame } = frameGate();
    // Quiet speech the detector never takes for speech, said with the key held: all of it goes
    // on as it comes, before the detector has judged any of it.
    gate.open(true);
    for (let i = 0; i < 10; i++) gate.audio(frame(i));
    expect(heard).toEqual([...Array(10).keys()]);
    gate.probabilities(new Array<number>(10).fill(0.2));
    // Let go: the same quiet audio is not speech to the detector, so none of it goes on...
    gate.open(false);
    for (let i = 10; i < 20; i++) gate.audio(frame(i));
    gate.probabilities(new Array<number>(10).fill(0.2));
    expect(heard).toEqual([...Array(10).keys()]);
    // ...and audio passed on while open, judged as speech after the key was let go, is not
    // passed on again.
    gate.open(true);
    for (let i = 20; i < 30; i++) gate.audio(frame(i));
    gate.open(false);
    gate.probabilities(new Array<number>(10).fill(0.9));
    expect(heard).toEqual([...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)]);
  });

  it('passes on what waited for a detector that is gone, in order and once', () => {
    const { gate, heard, frame } = frameGate();
    // Speech with a pause in it, judged up to frame 24 (the pause from 20 held back); frames 25
    // to 34 never get an answer (the worker stopped).
    for (let i = 0; i < 35; i++) gate.audio(frame(i));
    gate.probabilities([...new Array<number>(10).fill(0.9), ...new Array<number>(15).fill(0.1)]);
    const passed = heard.length;
    expect(heard).toEqual([...Array(passed).keys()]);
    expect(passed).toBeLessThan(25);
    gate.release();
    expect(heard).toEqual([...Array(35).keys()]);
    // Nothing is kept for later: a late answer passes on nothing more.
    gate.probabilities(new Array<number>(10).fill(0.9));
    expect(heard).toHaveLength(35);
  });
});
