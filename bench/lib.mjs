// Shared helpers for the bench scripts: start built entry points, launch Chromium, summarise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The same flags as the tests use.
export const CHROMIUM_ARGS = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'test/support/chromium-args.json'), 'utf8'),
);

export function launchChromium() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`Chromium not found at ${executablePath} (apt-get install -y chromium)`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts a built entry point and resolves when it prints its URL. */
export function startEntry(script, args) {
  const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = /^(https?|wss?):\/\/\S+$/m.exec(out);
      if (match) resolve({ url: match[0], child, stop: () => stop(child) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${err}`)));
  });
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) => quantile(values, 0.5);
export const fmt = (ms) => `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
