#!/usr/bin/env node
// Regenerates docs/ipc.md from the IPC contract (src-shared/ipc/contract-doc.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-docs-')), 'contract-doc.cjs');
await build({
  entryPoints: [path.join(root, 'src-shared/ipc/contract-doc.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  logLevel: 'warning',
});
const { renderIpcDoc } = createRequire(import.meta.url)(out);
fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
fs.writeFileSync(path.join(root, 'docs/ipc.md'), renderIpcDoc());
console.log('wrote docs/ipc.md');
