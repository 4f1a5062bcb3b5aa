#!/usr/bin/env node
// Runs a TypeScript script of this project: bundles it with esbuild (the app's own modules
// included, better-sqlite3 left to node_modules) and calls its `main(root, args)`.
//   node scripts/run-ts.mjs scripts/models-fetch.ts ru
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
// Inside the project, so that the external native modules resolve from node_modules.
const cache = path.join(root, 'node_modules/.cache');
fs.mkdirSync(cache, { recursive: true });
const dir = fs.mkdtempSync(path.join(cache, 'beseda-script-'));
const out = path.join(dir, 'script.cjs');
try {
  await build({
    entryPoints: [path.resolve(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile: out,
    external: ['better-sqlite3', 'electron', 'uiohook-napi'],
    logLevel: 'warning',
  });
  await createRequire(path.join(root, 'package.json'))(out).main(root, args);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
