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

/** Chromium with the tests' flags, and `extra` ones (a fake microphone's file, say). */
export function launchChromium(extra = []) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`Chromium not found at ${executablePath} (apt-get install -y chromium)`);
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extra] });
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

/** Bundles one of the app's TypeScript modules (the real code, not a copy) and loads it. */
export async function loadModule(entry) {
  const { build } = await import('esbuild');
  const { createRequire } = await import('node:module');
  // Inside the project, so that `require('better-sqlite3')` resolves from node_modules.
  const outfile = path.join(
    ROOT,
    'node_modules/.cache/beseda-bench',
    entry.replace(/\//g, '_').replace(/\.ts$/, '.cjs'),
  );
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'sharp'],
    logLevel: 'warning',
  });
  return createRequire(path.join(ROOT, 'package.json'))(outfile);
}

/** A vocabulary of Russian and English words, and messages made of them. */
export const WORDS = (
  'встреча пятница отчёт проект сервер звонок запись экран команда вопрос ответ задача ' +
  'релиз ошибка тест сборка дизайн клиент офлайн сообщение meeting friday report project ' +
  'server call recording screen team question answer task release bug test build design ' +
  'client offline message budget roadmap review deploy backup restore metrics latency'
).split(' ');

export function makeBody(random) {
  const n = 5 + Math.floor(random() * 15);
  const words = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  return words.join(' ');
}

/** A small seeded generator, so that runs compare like with like. */
export function seeded(seed = 42) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Renderer processes of this Chromium: cumulative CPU seconds and resident memory. */
export function renderers() {
  const result = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || cmd.includes('--extension-process')) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      const cpu = (Number(stat[11]) + Number(stat[12])) / 100; // utime + stime, clock ticks
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
      const peakRss = Number(/VmHWM:\s+(\d+)/.exec(status)[1]) * 1024;
      result.push({ pid, cpu, rss, peakRss });
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/** Waits until `probe()` is true (polled every few ms), or throws after `timeoutMs`. */
export async function until(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A contract call straight into a Services container; a refusal throws with its message. */
export async function callService(services, channel, input) {
  const result = await services.dispatch(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}
