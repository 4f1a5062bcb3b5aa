// vosk-browser ships its recognizer worker (Emscripten + WASM) inlined as base64 and starts it
// from a blob: URL, which would inherit the page's CSP. The app serves it as a file of its own
// instead (see src-renderer/features/voice/vosk-engine.ts); this takes it out of the package.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function voskWorkerSource() {
  const bundle = fs.readFileSync(require.resolve('vosk-browser'), 'utf8');
  const match = /createBase64WorkerFactory\('([A-Za-z0-9+/=]+)'/.exec(bundle);
  if (!match) throw new Error('vosk-browser: the inlined worker was not found; was it upgraded?');
  const source = Buffer.from(match[1], 'base64').toString('latin1');
  // The first line is the loader's banner comment, as vosk-browser's own createURL drops it.
  return source.slice(source.indexOf('\n', 10) + 1);
}
