/**
 * The microphone as 16 kHz mono frames for speech recognition: getUserMedia → AudioWorklet
 * (resampling off the main thread) → frames with their level. stop() releases the microphone
 * and the audio context.
 */
import workletUrl from './capture-worklet.ts?worker&url';
import { rms } from './resampler';

export interface SpeechFrame {
  samples: Float32Array;
  sampleRate: number;
  level: number;
}

export interface SpeechCapture {
  /** The microphone's own rate, before resampling. */
  readonly inputRate: number;
  stop(): void;
}

export async function startSpeechCapture(
  deviceId: string,
  onFrame: (frame: SpeechFrame) => void,
): Promise<SpeechCapture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      channelCount: 1,
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
  });
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'speech-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
    });
    node.port.onmessage = (event: MessageEvent<{ samples: Float32Array; sampleRate: number }>) => {
      const { samples, sampleRate } = event.data;
      onFrame({ samples, sampleRate, level: rms(samples) });
    };
    source.connect(node);
    if (context.state === 'suspended') await context.resume();
    return {
      inputRate: context.sampleRate,
      stop() {
        node.port.onmessage = null;
        source.disconnect();
        for (const track of stream.getTracks()) track.stop();
        void context.close();
      },
    };
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    void context.close();
    throw error;
  }
}
