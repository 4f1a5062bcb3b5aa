#!/usr/bin/env node
// One build for every part: the renderer with Vite; main, preloads, web host and server with
// esbuild. `--if-stale` skips the build when nothing under the sources changed since the last one.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const SOURCES = [
  'src-shared',
  'src-main',
  'src-preload',
  'src-renderer',
  'src-server',
  'package.json',
  'vite.config.mts',
  'scripts/build.mjs',
];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stats = fs.statSync(full);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of fs.readdirSync(full))
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  return SOURCES.some((entry) => newestMtime(entry) > built);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const started = Date.now();
const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  absWorkingDir: root,
};
const node = {
  ...common,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // Native or Electron-provided at run time; ws's optional speedups are loaded only if present.
  external: ['electron', 'better-sqlite3', 'sharp', 'uiohook-napi', 'bufferutil', 'utf-8-validate'],
};

await Promise.all([
  esbuild({
    ...node,
    entryPoints: ['src-main/electron/main.ts'],
    outfile: 'dist/main/electron-main.cjs',
  }),
  esbuild({ ...node, entryPoints: ['src-main/web/main.ts'], outfile: 'dist/main/web-host.cjs' }),
  esbuild({ ...node, entryPoints: ['src-server/main.ts'], outfile: 'dist/server/server.cjs' }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  esbuild({
    ...node,
    target: 'chrome130',
    entryPoints: ['src-preload/electron-preload.ts'],
    outfile: 'dist/preload/electron-preload.cjs',
  }),
  esbuild({
    ...common,
    platform: 'browser',
    target: 'chrome130',
    format: 'iife',
    minify: true,
    entryPoints: ['src-preload/web-preload.ts'],
    outfile: 'dist/preload/web-preload.js',
  }),
]);

const { build: vite } = await import('vite');
await vite({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });

// The voice-activity detector: its worker (a module worker, like the page's own scripts), the
// Silero model and onnxruntime-web's single-threaded WASM, all served by the app itself.
await esbuild({
  ...common,
  platform: 'browser',
  target: 'chrome130',
  format: 'esm',
  minify: true,
  entryPoints: ['src-renderer/lib/audio/vad-worker.ts'],
  outfile: 'dist/renderer/vad-worker.js',
});
fs.mkdirSync(path.join(dist, 'renderer', 'vad'), { recursive: true });
for (const file of [
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
])
  fs.copyFileSync(path.join(root, file), path.join(dist, 'renderer', 'vad', path.basename(file)));

// The emoji picker's data, served by the app itself (frimousse would fetch it from a CDN).
for (const locale of ['en', 'ru']) {
  const to = path.join(dist, 'renderer', 'emojibase', locale);
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['data.json', 'messages.json'])
    fs.copyFileSync(
      path.join(root, 'node_modules/emojibase-data', locale, file),
      path.join(to, file),
    );
}

fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
