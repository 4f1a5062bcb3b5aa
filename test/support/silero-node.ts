/**
 * Silero VAD's speech probabilities for test signals, computed by the app's own SileroVad on
 * onnxruntime-web in a plain Node process: Jest's module sandbox cannot run onnxruntime-web
 * (it loads its WASM glue with a dynamic import()), so the probe is bundled with esbuild and run
 * beside it. The signals go in as raw float32 files, the probabilities come back in a JSON file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

const PROBE = `
import fs from 'node:fs';
import * as ort from 'onnxruntime-web/wasm';
import { SileroVad } from './src-renderer/lib/audio/silero-vad';
const [model, output, ...files] = process.argv.slice(2);
const bytes = fs.readFileSync(model);
const vad = await SileroVad.load(ort, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
const out = [];
for (const file of files) {
  const raw = fs.readFileSync(file);
  const signal = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  vad.reset();
  const probabilities = [];
  // 50 ms frames, as the capture worklet posts them.
  for (let i = 0; i < signal.length; i += 800) probabilities.push(...(await vad.push(signal.subarray(i, i + 800))));
  out.push(probabilities);
}
fs.writeFileSync(output, JSON.stringify(out));
`;

export const SILERO_MODEL = path.join(
  ROOT,
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
);

export function speechProbabilities(dir: string, signals: Float32Array[]): number[][] {
  const probe = path.join(ROOT, 'node_modules/.cache', `silero-probe-${process.pid}.mjs`);
  fs.mkdirSync(path.dirname(probe), { recursive: true });
  buildSync({
    stdin: { contents: PROBE, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: probe,
    external: ['onnxruntime-web', 'onnxruntime-web/*'],
    logLevel: 'warning',
  });
  const files = signals.map((signal, i) => {
    const file = path.join(dir, `signal-${i}.f32`);
    fs.writeFileSync(file, Buffer.from(signal.buffer, signal.byteOffset, signal.byteLength));
    return file;
  });
  try {
    const output = path.join(dir, 'probabilities.json');
    execFileSync(process.execPath, [probe, SILERO_MODEL, output, ...files], { cwd: ROOT });
    return JSON.parse(fs.readFileSync(output, 'utf8')) as number[][];
  } finally {
    fs.rmSync(probe, { force: true });
  }
}
