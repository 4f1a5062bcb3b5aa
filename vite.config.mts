import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { voskWorkerSource } from './scripts/vosk-worker.mjs';

/** vosk-browser's recognizer worker as a file of its own, next to index.html. */
function voskWorker(): Plugin {
  return {
    name: 'vosk-worker',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'vosk-worker.js', source: voskWorkerSource() });
    },
  };
}

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react(), voskWorker()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
