#!/usr/bin/env node
// Voice control accuracy and speed on labelled speech, through the app's own voice modules in
// Chromium (bench/voice/harness.ts): vosk-browser's worker, the 16 kHz resampler, end-of-speech
// detection, the context grammar and the controller (wake phrase → command).
//
//   npm run bench:voice                                  both shared test models, espeak speech
//   npm run bench:voice -- --lang en --model DIR|TAR.GZ  another model (a real one, say)
//   npm run bench:voice -- --lang ru --model M --wavs DIR   your own recordings
//
// A WAV folder holds mono WAV files and labels.json: [{ "file", "kind", "text", "command"?,
// "context"? }], kind one of
//   wake     a wake phrase alone                 → must wake
//   command  a wake phrase, then a command       → must wake and run `command` (its id)
//   oog      a wake phrase, then other speech    → must wake and run nothing
//   speech   speech without a wake phrase        → must not wake (false wakes per hour)
// `context` patches the app context (e.g. { "inCall": true } for "hang up").
// Without --wavs, a labelled set is spoken with espeak-ng from the command catalog, keeping to
// the words the model knows. Figures: wake misses, false wakes per hour of non-wake speech,
// command accuracy, out-of-grammar rejection, real-time factor, end-of-speech → command latency
// p50/p95 and renderer memory; then misses and false wakes at three sensitivities.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, loadModule, median, quantile, renderers, ROOT, tempDir } from './lib.mjs';
import { voskWorkerSource } from '../scripts/vosk-worker.mjs';

const SHARED = path.resolve(ROOT, '../shared/models');
const SENSITIVITIES = [0.2, 0.5, 0.8];

function args() {
  const out = { lang: null, model: null, wavs: null, sensitivity: 0.5 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = key === 'sensitivity' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}

/** Sentences with no wake phrase, and (after one) speech that is no command. */
const OTHER_SPEECH = {
  en: [
    'the meeting moved to thursday afternoon',
    'please send me the quarterly report',
    'i will be there in ten minutes',
    'what a lovely day it is',
    'the build is green again',
  ],
  ru: [
    'встреча перенесена на четверг',
    'пришли мне отчёт за квартал',
    'я буду через десять минут',
    'какая хорошая погода сегодня',
    'сборка снова зелёная',
  ],
};
const OUT_OF_GRAMMAR = {
  en: ['bake a chocolate cake', 'what time is it in tokyo', 'yes no yes', 'order a pizza'],
  ru: ['испеки торт', 'какая погода в москве', 'да нет да', 'закажи пиццу'],
};
const CONTEXTS = [
  {},
  { inCall: true },
  { incomingCall: true },
  { inCall: true, muted: true },
  { inCall: true, sharing: true },
  { inCall: true, recording: true },
  { inCall: true, cameraOn: false },
];

function speak(dir, name, text, language) {
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', language, '-s', '140', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', out, 'pad', '0.5', '1.5']);
  fs.rmSync(raw);
  return path.basename(out);
}

/** A labelled set from the catalog, limited to what the model can hear. */
async function makeSet(dir, language, vocabulary, wakePhrases) {
  const voice = await loadModule('src-renderer/features/voice/voice-commands.ts');
  const { CommandMatcher } = await loadModule('src-renderer/features/voice/command-matcher.ts');
  const matcher = new CommandMatcher(language);
  const known = (text) => voice.words(text).every((w) => vocabulary.has(w));
  const said = (text) => ({
    text,
    words: voice.words(text).map((word) => ({ word, conf: 1 })),
  });
  const wakes = wakePhrases.filter(known);
  const items = [];
  let n = 0;
  const add = (kind, text, extra = {}) =>
    items.push({ file: speak(dir, `${kind}-${n++}`, text, language), kind, text, ...extra });

  for (const wake of wakes) add('wake', wake);
  const commands = [];
  for (const command of voice.VOICE_COMMANDS) {
    const sequences = command.phrases[language]
      .flatMap(voice.expandPhrase)
      .filter((seq) => seq.length > 0 && !seq.some((t) => t.startsWith('{')))
      .map((seq) => seq.join(' '))
      .filter(known);
    for (const context of CONTEXTS) {
      const full = { ...voice.IDLE_CONTEXT, ...context };
      // Only phrases that mean this command in this context (the catalog's own order decides).
      const phrase = sequences.find((text) => {
        const match = matcher.match(said(text).words, full);
        return match.kind === 'command' && match.command.id === command.id;
      });
      if (phrase) {
        commands.push({ phrase, command: command.id, context });
        break;
      }
    }
  }
  commands.forEach(({ phrase, command, context }, i) => {
    const wake = wakes[i % wakes.length];
    add('command', `${wake}, ${phrase}`, { command, context });
  });
  for (const text of OUT_OF_GRAMMAR[language]) add('oog', `${wakes[n % wakes.length]}, ${text}`);
  for (const text of OTHER_SPEECH[language]) add('speech', text);
  // Commands said without a wake phrase must not run either.
  for (const { phrase } of commands.slice(0, 6)) add('speech', phrase);
  fs.writeFileSync(path.join(dir, 'labels.json'), JSON.stringify(items, null, 2));
  const missing = wakePhrases.filter((w) => !known(w));
  return { items, missing };
}

function modelFiles(model, work) {
  let tarGz = model;
  if (fs.statSync(model).isDirectory()) {
    tarGz = path.join(work, 'model.tar.gz');
    execFileSync('tar', ['-C', path.dirname(model), '-czf', tarGz, path.basename(model)]);
  }
  const words = execFileSync('tar', ['-xzOf', tarGz, '--wildcards', '*graph/words.txt'], {
    maxBuffer: 64 << 20,
  })
    .toString('utf8')
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((w) => w && !w.startsWith('<') && !w.startsWith('#') && w !== '[unk]');
  return { tarGz, vocabulary: new Set(words) };
}

function serve(files) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const entry = files(url);
    if (!entry) return res.writeHead(404).end();
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : entry.body;
    res.writeHead(200, {
      'Content-Type': entry.type,
      'Content-Length': body.length,
      ...(entry.csp ? { 'Content-Security-Policy': entry.csp } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port })),
  );
}

const pct = (part, whole) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : 'n/a');

async function runLanguage(browser, page, language, options) {
  const work = tempDir(`voice-bench-${language}-`);
  const model = options.model ?? path.join(SHARED, `vosk-model-synth-${language}-espeak.tar.gz`);
  if (!fs.existsSync(model)) {
    console.log(`${language}: no model at ${model}; skipped`);
    return;
  }
  const { tarGz, vocabulary } = modelFiles(model, work);
  const { DEFAULT_WAKE_PHRASES } = await loadModule('src-shared/settings.ts');
  const wakePhrases = DEFAULT_WAKE_PHRASES[language];
  let wavDir = options.wavs;
  let items;
  if (wavDir) items = JSON.parse(fs.readFileSync(path.join(wavDir, 'labels.json'), 'utf8'));
  else {
    wavDir = work;
    const made = await makeSet(work, language, vocabulary, wakePhrases);
    items = made.items;
    if (made.missing.length)
      console.log(
        `${language}: wake phrases outside this model's words, left out: ${made.missing.join(', ')}`,
      );
  }
  const count = (kind) => items.filter((i) => i.kind === kind).length;
  console.log(
    `${language}: ${path.basename(model)}, ${vocabulary.size} words; ${items.length} files ` +
      `(${count('wake')} wake, ${count('command')} command, ${count('oog')} out-of-grammar, ` +
      `${count('speech')} other speech), sensitivity ${options.sensitivity}`,
  );

  const modelUrl = `/model-${language}-${Date.now()}.tar.gz`;
  state.files = (url) => {
    if (url === modelUrl) return { type: 'application/gzip', body: fs.readFileSync(tarGz) };
    if (url.startsWith('/wav/')) {
      const file = path.join(wavDir, path.basename(url));
      return fs.existsSync(file) ? { type: 'audio/wav', body: fs.readFileSync(file) } : null;
    }
    return null;
  };
  const before = renderers();
  const { loadMs } = await page.evaluate(
    ([url, setup]) => window.bench.load(url, setup),
    [
      modelUrl,
      { language, wakePhrases, sensitivity: options.sensitivity, vocabulary: [...vocabulary] },
    ],
  );
  const results = [];
  for (const item of items) {
    const result = await page.evaluate((i) => window.bench.live(i), item);
    results.push({ item, ...result });
  }
  const { audioMs, processMs } = await page.evaluate(
    (files) => window.bench.throughput(files),
    items.map((i) => i.file),
  );
  const memory = renderers();
  const rssMb = Math.max(...memory.map((r) => r.rss)) / 2 ** 20;
  const peakMb = Math.max(...memory.map((r) => r.peakRss)) / 2 ** 20;
  const idleMb = Math.max(0, ...before.map((r) => r.rss)) / 2 ** 20;

  // Misses count where a wake must happen; "hey, <no command>" may be taken for talk (see the
  // controller), so out-of-grammar items count for rejection only.
  const addressed = results.filter((r) => r.item.kind === 'wake' || r.item.kind === 'command');
  const missed = addressed.filter((r) => !r.woke);
  const commands = results.filter((r) => r.item.kind === 'command');
  const right = commands.filter((r) => r.commands.length === 1 && r.commands[0] === r.item.command);
  const oog = results.filter((r) => r.item.kind === 'oog');
  const rejected = oog.filter((r) => r.commands.length === 0);
  const other = results.filter((r) => r.item.kind === 'speech');
  const falseWakes = other.filter((r) => r.woke || r.commands.length > 0);
  const otherHours = other.reduce((sum, r) => sum + r.speechMs, 0) / 3_600_000;
  const latencies = results.map((r) => r.latencyMs).filter((v) => v !== null);

  console.log(`  model load ${(loadMs / 1000).toFixed(1)} s`);
  console.log(
    `  wake-word misses: ${missed.length}/${addressed.length} = ${pct(missed.length, addressed.length)} (goal ≤ 5%)`,
  );
  console.log(
    `  false wakes: ${falseWakes.length} in ${(otherHours * 60).toFixed(1)} min of non-wake speech = ` +
      `${(falseWakes.length / otherHours).toFixed(1)}/hour (goal ≤ 0.5/hour; one false wake in this ` +
      `set would be ${(1 / otherHours).toFixed(0)}/hour, so 0 is the only passing count)`,
  );
  console.log(
    `  commands right: ${right.length}/${commands.length} = ${pct(right.length, commands.length)} (goal ≥ 95%)`,
  );
  console.log(
    `  out-of-grammar rejected: ${rejected.length}/${oog.length} = ${pct(rejected.length, oog.length)} (goal ≥ 95%)`,
  );
  console.log(
    `  real-time factor: ${(processMs / audioMs).toFixed(3)} (${(processMs / 1000).toFixed(1)} s for ` +
      `${(audioMs / 1000).toFixed(1)} s of audio; goal ≤ 0.25)`,
  );
  if (latencies.length)
    console.log(
      `  end of speech → command: p50 ${median(latencies).toFixed(0)} ms, p95 ` +
        `${quantile(latencies, 0.95).toFixed(0)} ms over ${latencies.length} commands (goal p95 ≤ 400 ms)`,
    );
  console.log(
    `  renderer memory: ${rssMb.toFixed(0)} MB RSS now, ${peakMb.toFixed(0)} MB peak, ` +
      `${idleMb.toFixed(0)} MB before the model (goal ≤ 350 MB)`,
  );
  for (const r of results) {
    const wrong =
      (r.item.kind === 'command' &&
        !(r.commands.length === 1 && r.commands[0] === r.item.command)) ||
      (r.item.kind === 'oog' && r.commands.length > 0) ||
      ((r.item.kind === 'wake' || r.item.kind === 'command') && !r.woke) ||
      (r.item.kind === 'speech' && (r.woke || r.commands.length > 0));
    if (wrong)
      console.log(
        `    ✗ ${r.item.kind} "${r.item.text}"${r.item.command ? ` (${r.item.command})` : ''}: heard ` +
          `${r.utterances.map((u) => u.words.map((w) => `${w.word}:${w.conf.toFixed(2)}`).join(' ')).join(' | ')}, woke ${r.woke}, ran [${r.commands.join(', ')}]`,
      );
  }
  // The same recognizer output through controllers at other sensitivities.
  for (const sensitivity of SENSITIVITIES) {
    let miss = 0;
    let falseWake = 0;
    let good = 0;
    for (const r of results) {
      const replay = await page.evaluate(
        ([item, utterances, s]) => window.bench.replay(item, utterances, s),
        [r.item, r.utterances, sensitivity],
      );
      if ((r.item.kind === 'wake' || r.item.kind === 'command') && !replay.woke) miss++;
      if (r.item.kind === 'speech' && (replay.woke || replay.commands.length)) falseWake++;
      if (r.item.kind === 'command' && replay.commands[0] === r.item.command) good++;
    }
    console.log(
      `  sensitivity ${sensitivity}: misses ${pct(miss, addressed.length)}, false wakes ${falseWake} ` +
        `(${(falseWake / otherHours).toFixed(1)}/hour), commands right ${pct(good, commands.length)}`,
    );
  }
  await page.evaluate(() => window.bench.dispose());
  fs.rmSync(work, { recursive: true, force: true });
}

const state = { files: () => null };
const options = args();
const languages = options.lang ? [options.lang] : ['en', 'ru'];
if ((options.model || options.wavs) && !options.lang)
  throw new Error('--model and --wavs need --lang');

const bundleDir = tempDir('voice-harness-');
await build({
  entryPoints: [path.join(ROOT, 'bench/voice/harness.ts')],
  outfile: path.join(bundleDir, 'harness.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome130',
  logLevel: 'warning',
});
const harness = fs.readFileSync(path.join(bundleDir, 'harness.js'));
const worker = voskWorkerSource();
const { WORKER_CSP } = await loadModule('src-shared/csp.ts');
const { server, port } = await serve((url) => {
  if (url === '/')
    return { type: 'text/html', body: '<!doctype html><script src="/harness.js"></script>' };
  if (url === '/harness.js') return { type: 'text/javascript', body: harness };
  if (url === '/vosk-worker.js')
    return {
      type: 'text/javascript',
      body: worker,
      csp: WORKER_CSP,
    };
  return state.files(url);
});
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  for (const language of languages) await runLanguage(browser, page, language, options);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(bundleDir, { recursive: true, force: true });
}
