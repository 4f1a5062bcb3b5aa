#!/usr/bin/env node
// Voice control accuracy and speed on labelled speech, through the app's own voice modules in
// Chromium (bench/voice/harness.ts): vosk-browser's worker, the 16 kHz resampler, the voice
// activity detector, the context grammar and the controller (wake phrase → command). Every file
// is run twice in the same process: "before" ends speech at the fixed level the app used
// (0.015), "after" with Silero VAD as the app does now. Then what each run heard goes through the
// wake and matching rules the app had before (bench/voice/rules-before.ts) and today's, so the
// rules' share of the change is measured apart from the detector's.
//
//   npm run bench:voice                                  both shared test models, espeak speech
//   npm run bench:voice -- --talk-minutes 5              a shorter run (30 by default)
//   npm run bench:voice -- --lang en --model DIR|TAR.GZ  another model (a real one, say)
//   npm run bench:voice -- --lang ru --model M --wavs DIR   your own recordings
//   npm run bench:voice -- --keep DIR                    keep the generated set (labels.json)
//
// A WAV folder holds mono WAV files and labels.json: [{ "file", "kind", "text", "command"?,
// "context"?, "condition"?, "speechEndMs"? }], kind one of
//   wake     a wake phrase alone                 → must wake
//   command  a wake phrase, then a command       → must wake and run `command` (its id)
//   oog      a wake phrase, then other speech    → must wake and run nothing
//   speech   speech without a wake phrase        → must not wake (false wakes per hour)
// `context` patches the app context (e.g. { "inCall": true } for "hang up").
// Without --wavs, a labelled set is spoken with espeak-ng from the command catalog (keeping to
// the words the model knows) in several voices, rates and lead-ins, each file also with pink and
// brown noise at 20 and 10 dB and at −6 and −12 dB, plus ordinary talk (with the wake words
// inside sentences) until --talk-minutes of it. Figures per condition, before and after: wake
// misses, command accuracy, out-of-grammar rejection, end of speech → command p50/p95; then false
// wakes per hour of talk, real-time factors, renderer memory, the sensitivities, and the rules
// alone (before → today's, over each run's recognizer output).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, loadModule, quantile, renderers, ROOT, tempDir } from './lib.mjs';
import { voskWorkerSource } from '../scripts/vosk-worker.mjs';

const SHARED = path.resolve(ROOT, '../shared/models');
const SENSITIVITIES = [0.2, 0.5, 0.8];
const DETECTORS = [
  ['energy', 'before (level 0.015)'],
  ['vad', 'after (Silero VAD)'],
];

function args() {
  const out = {
    lang: null,
    model: null,
    wavs: null,
    keep: null,
    sensitivity: 0.5,
    'talk-minutes': 30,
  };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = typeof out[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}

const CONTEXTS = [
  {},
  { inCall: true },
  { incomingCall: true },
  { inCall: true, muted: true },
  { inCall: true, sharing: true },
  { inCall: true, recording: true },
  { inCall: true, cameraOn: false },
];

/** After a wake phrase: speech that is no command. */
const OUT_OF_GRAMMAR = {
  en: ['bake a chocolate cake', 'what time is it in tokyo', 'yes no yes', 'order a pizza'],
  ru: ['испеки торт', 'какая погода в москве', 'да нет да', 'закажи пиццу'],
};

/**
 * Ordinary talk, made of parts: thousands of different sentences, some with a wake word inside
 * ("the teaching assistant will…", "…and said hey to everyone"), none starting with one.
 */
const TALK = {
  en: {
    who: [
      'the team',
      'our manager',
      'my sister',
      'the teaching assistant',
      'everyone in the office',
      'the new designer',
      'a customer',
      'the support desk',
      'my neighbour',
      'the board',
      'the intern',
      'our lawyer',
    ],
    does: [
      'will review',
      'has moved',
      'wants to discuss',
      'forgot about',
      'is preparing',
      'just finished',
      'asked about',
      'will grade',
      'printed',
      'shared',
      'needs help with',
      'keeps talking about',
    ],
    what: [
      'the quarterly report',
      'the papers',
      'the budget',
      'the release notes',
      'the slides',
      'the contract',
      'the lunch order',
      'the travel plan',
      'the test results',
      'the weekly summary',
      'the camera settings',
      'the call schedule',
    ],
    when: [
      'on thursday afternoon',
      'before the meeting',
      'after lunch',
      'next week',
      'this morning',
      'by the end of the day',
      'and said hey to everyone',
      'so listen to the recording',
      'and asked for help',
      'with the assistant',
      'in the small room',
      'without any help',
    ],
  },
  ru: {
    who: [
      'наша команда',
      'мой начальник',
      'моя сестра',
      'ассистент преподавателя',
      'весь отдел',
      'новый дизайнер',
      'один клиент',
      'служба поддержки',
      'мой сосед',
      'совет директоров',
      'стажёр',
      'наш юрист',
    ],
    does: [
      'проверит',
      'перенёс',
      'хочет обсудить',
      'забыл про',
      'готовит',
      'только что закончил',
      'спрашивал про',
      'оценит',
      'распечатал',
      'прислал',
      'просит помочь с',
      'всё время говорит про',
    ],
    what: [
      'квартальный отчёт',
      'эти бумаги',
      'бюджет',
      'заметки к выпуску',
      'слайды',
      'договор',
      'заказ обеда',
      'план поездки',
      'результаты тестов',
      'недельную сводку',
      'настройки камеры',
      'расписание звонков',
    ],
    when: [
      'в четверг после обеда',
      'перед встречей',
      'после обеда',
      'на следующей неделе',
      'сегодня утром',
      'до конца дня',
      'и сказал всем эй привет',
      'так что слушай запись',
      'и попросил помоги',
      'вместе с ассистентом',
      'в маленькой комнате',
      'без всякой помощи',
    ],
  },
};

const VOICES = { en: ['en', 'en-us', 'en-gb-x-rp'], ru: ['ru', 'ru-lv'] };
const RATES = [140, 175, 205, 130, 160, 190, 220];
const LEADS = [0.4, 1.2, 2.5, 0.1, 0.7];
/** Between the wake phrase and the command: the same breath, a comma, a full stop. */
const JOINS = [', ', ' ', '. '];

/** What is done to every command file: noise under it at an SNR, or a gain. */
function conditions(signals) {
  const { mixAtSnr, pinkNoise, brownNoise, gain } = signals;
  return [
    ['clean', (s) => s],
    ['pink-20', (s) => mixAtSnr(s, pinkNoise(s.length), 20)],
    ['pink-10', (s) => mixAtSnr(s, pinkNoise(s.length), 10)],
    ['brown-20', (s) => mixAtSnr(s, brownNoise(s.length), 20)],
    ['brown-10', (s) => mixAtSnr(s, brownNoise(s.length), 10)],
    ['gain-6', (s) => gain(s, -6)],
    ['gain-12', (s) => gain(s, -12)],
  ];
}

/** A labelled set from the catalog, limited to what the model can hear, in every condition. */
async function makeSet(dir, language, vocabulary, wakePhrases, talkMinutes) {
  const voice = await loadModule('src-renderer/features/voice/voice-commands.ts');
  const { CommandMatcher } = await loadModule('src-renderer/features/voice/command-matcher.ts');
  const signals = await loadModule('test/support/signals.ts');
  const { spokenSignal } = await loadModule('test/support/speech.ts');
  const speak = (text, { voice, rate, lead, tail }) =>
    spokenSignal(dir, text, { voice, wpm: rate, leadS: lead, tailS: tail });
  const matcher = new CommandMatcher(language);
  const known = (text) => voice.words(text).every((w) => vocabulary.has(w));
  const said = (text) => voice.words(text).map((word) => ({ word, conf: 1 }));
  const wakes = wakePhrases.filter(known);
  const variants = conditions(signals);
  const items = [];
  let n = 0;
  const style = (i) => ({
    voice: VOICES[language][i % VOICES[language].length],
    rate: RATES[i % RATES.length],
    lead: LEADS[i % LEADS.length],
    tail: 1.5,
  });
  /** One text in every condition. */
  const add = (kind, text, extra = {}) => {
    const id = n++;
    const spoken = speak(text, style(id));
    for (const [condition, apply] of variants) {
      const file = `${kind}-${id}.${condition}.wav`;
      signals.writePcm16(path.join(dir, file), apply(spoken.signal), signals.RATE);
      items.push({
        file,
        kind,
        text,
        condition,
        speechStartMs: spoken.speechStartMs,
        speechEndMs: spoken.speechEndMs,
        ...extra,
      });
    }
  };

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
        const match = matcher.match(said(text), full);
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
    add('command', `${wake}${JOINS[i % JOINS.length]}${phrase}`, { command, context });
  });
  OUT_OF_GRAMMAR[language].forEach((text, i) => add('oog', `${wakes[i % wakes.length]}, ${text}`));
  // Commands said without a wake phrase must not run either.
  for (const { phrase } of commands.slice(0, 6)) add('speech', phrase);

  // Ordinary talk: sentences three to a file, each file in the next condition, until enough.
  const parts = TALK[language];
  const pick = (list, i) => list[i % list.length];
  let talkMs = 0;
  for (let i = 0; talkMs < talkMinutes * 60_000; i++) {
    const sentences = [0, 1, 2].map((k) => {
      const j = i * 3 + k;
      return [
        pick(parts.who, j),
        pick(parts.does, Math.floor(j / 3) + j),
        pick(parts.what, Math.floor(j / 7) + 2 * j),
        pick(parts.when, Math.floor(j / 11) + 3 * j),
      ].join(' ');
    });
    const text = sentences.join('. ');
    const spoken = speak(text, { ...style(i), tail: 1 });
    const [condition, apply] = variants[i % variants.length];
    const file = `talk-${i}.${condition}.wav`;
    signals.writePcm16(path.join(dir, file), apply(spoken.signal), signals.RATE);
    items.push({
      file,
      kind: 'speech',
      text,
      condition,
      speechStartMs: spoken.speechStartMs,
      speechEndMs: spoken.speechEndMs,
    });
    talkMs += spoken.speechEndMs - spoken.speechStartMs;
  }
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

/** The figures of a set of results: what must wake, what must run, what must not. */
function score(results) {
  const addressed = results.filter((r) => r.item.kind === 'wake' || r.item.kind === 'command');
  const commands = results.filter((r) => r.item.kind === 'command');
  const oog = results.filter((r) => r.item.kind === 'oog');
  const talk = results.filter((r) => r.item.kind === 'speech');
  const latencies = commands.map((r) => r.latencyMs).filter((v) => v !== null);
  return {
    misses: [addressed.filter((r) => !r.woke).length, addressed.length],
    right: [
      commands.filter((r) => r.commands.length === 1 && r.commands[0] === r.item.command).length,
      commands.length,
    ],
    rejected: [oog.filter((r) => r.commands.length === 0).length, oog.length],
    falseWakes: talk.filter((r) => r.woke || r.commands.length > 0).length,
    talkHours:
      talk.reduce(
        (sum, r) =>
          sum +
          (r.item.speechEndMs !== undefined
            ? r.item.speechEndMs - (r.item.speechStartMs ?? 0)
            : r.audioMs),
        0,
      ) / 3_600_000,
    latencies,
  };
}

const ratio = ([part, whole]) => (whole ? pct(part, whole) : '—');
const ms = (list, q) => (list.length ? `${quantile(list, q).toFixed(0)}` : '—');

function wrong(r) {
  return (
    (r.item.kind === 'command' && !(r.commands.length === 1 && r.commands[0] === r.item.command)) ||
    (r.item.kind === 'oog' && r.commands.length > 0) ||
    ((r.item.kind === 'wake' || r.item.kind === 'command') && !r.woke) ||
    (r.item.kind === 'speech' && (r.woke || r.commands.length > 0))
  );
}

/** Results with what a controller at `sensitivity` with `rules` made of their utterances. */
async function replayed(page, results, sensitivity, rules) {
  const out = [];
  for (const r of results) {
    const replay = await page.evaluate(
      ([item, utterances, s, x]) => window.bench.replay(item, utterances, s, x),
      [r.item, r.utterances, sensitivity, rules],
    );
    out.push({ ...r, ...replay, latencyMs: null });
  }
  return out;
}

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
    wavDir = options.keep ? path.join(options.keep, language) : path.join(work, 'set');
    fs.mkdirSync(wavDir, { recursive: true });
    const started = Date.now();
    const made = await makeSet(wavDir, language, vocabulary, wakePhrases, options['talk-minutes']);
    items = made.items;
    console.log(
      `${language}: set spoken and mixed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (made.missing.length)
      console.log(
        `${language}: wake phrases outside this model's words, left out: ${made.missing.join(', ')}`,
      );
  }
  const count = (kind) => items.filter((i) => i.kind === kind).length;
  const conditionsSeen = [...new Set(items.map((i) => i.condition ?? 'given'))];
  console.log(
    `${language}: ${path.basename(model)}, ${vocabulary.size} words; ${items.length} files ` +
      `(${count('wake')} wake, ${count('command')} command, ${count('oog')} out-of-grammar, ` +
      `${count('speech')} other speech) in ${conditionsSeen.length} conditions, sensitivity ` +
      `${options.sensitivity}`,
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
    ([url, setup, vad]) => window.bench.load(url, setup, vad),
    [
      modelUrl,
      { language, wakePhrases, sensitivity: options.sensitivity, vocabulary: [...vocabulary] },
      VAD_URLS,
    ],
  );
  console.log(`  model load ${(loadMs / 1000).toFixed(1)} s`);
  const runs = {};
  for (const [detector, title] of DETECTORS) {
    const started = Date.now();
    runs[detector] = [];
    for (const item of items) {
      const result = await page.evaluate(([i, d]) => window.bench.run(i, d), [item, detector]);
      runs[detector].push({ item, ...result, condition: item.condition ?? 'given' });
    }
    console.log(`  ${title}: ran in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }

  const rows = [...conditionsSeen, 'all'];
  const pick = (detector, condition) =>
    runs[detector].filter((r) => condition === 'all' || r.condition === condition);
  const header = ['condition', 'wake misses', 'commands right', 'oog rejected', 'p50/p95 ms'];
  console.log(`  before → after, per condition (goals: misses ≤ 5%, commands ≥ 95%, `);
  console.log(`  rejection 100%, end of speech → command p95 ≤ 600 ms in noise)`);
  console.log(`    ${header.map((h, i) => h.padEnd(i === 0 ? 10 : 24)).join('')}`);
  for (const condition of rows) {
    const b = score(pick('energy', condition));
    const a = score(pick('vad', condition));
    const cells = [
      `${ratio(b.misses)} → ${ratio(a.misses)}`,
      `${ratio(b.right)} → ${ratio(a.right)}`,
      `${ratio(b.rejected)} → ${ratio(a.rejected)}`,
      `${ms(b.latencies, 0.5)}/${ms(b.latencies, 0.95)} → ${ms(a.latencies, 0.5)}/${ms(a.latencies, 0.95)}`,
    ];
    console.log(`    ${condition.padEnd(10)}${cells.map((c) => c.padEnd(24)).join('')}`);
  }
  const noisy = (detector) =>
    score(runs[detector].filter((r) => /^(pink|brown)/.test(r.condition))).latencies;
  console.log(
    `  in noise, end of speech → command p95: ${ms(noisy('energy'), 0.95)} → ` +
      `${ms(noisy('vad'), 0.95)} ms`,
  );
  for (const [detector, title] of DETECTORS) {
    const { falseWakes, talkHours } = score(runs[detector]);
    console.log(
      `  false wakes, ${title}: ${falseWakes} in ${(talkHours * 60).toFixed(1)} min of non-wake ` +
        `speech = ${(falseWakes / talkHours).toFixed(1)}/hour (goal ≤ 0.5/hour)`,
    );
  }

  const files = items.filter((_, i) => i % 5 === 0).map((i) => i.file);
  const { audioMs, processMs } = await page.evaluate((f) => window.bench.throughput(f), files);
  const vad = await page.evaluate((f) => window.bench.vadThroughput(f), files);
  console.log(
    `  real-time factor: recognizer ${(processMs / audioMs).toFixed(3)}, voice detector ` +
      `${(vad.processMs / vad.audioMs).toFixed(3)} (over ${(audioMs / 1000).toFixed(0)} s of audio; ` +
      `goal ≤ 0.25 together)`,
  );
  const memory = renderers();
  const rssMb = Math.max(...memory.map((r) => r.rss)) / 2 ** 20;
  const peakMb = Math.max(...memory.map((r) => r.peakRss)) / 2 ** 20;
  const idleMb = Math.max(0, ...before.map((r) => r.rss)) / 2 ** 20;
  console.log(
    `  renderer memory: ${rssMb.toFixed(0)} MB RSS now, ${peakMb.toFixed(0)} MB peak, ` +
      `${idleMb.toFixed(0)} MB before the model (goal ≤ 350 MB)`,
  );

  const slowest = runs.vad
    .filter((r) => r.latencyMs !== null)
    .sort((x, y) => y.latencyMs - x.latencyMs)
    .slice(0, 5);
  console.log(
    `  slowest after: ${slowest.map((r) => `"${r.item.text}" [${r.condition}] ${r.latencyMs.toFixed(0)} ms`).join('; ')}`,
  );
  const failed = runs.vad.filter(wrong);
  for (const r of failed.slice(0, 40))
    console.log(
      `    ✗ ${r.item.kind} [${r.condition}] "${r.item.text.slice(0, 60)}"` +
        `${r.item.command ? ` (${r.item.command})` : ''}: heard ` +
        `${r.utterances.map((u) => u.words.map((w) => `${w.word}:${w.conf.toFixed(2)}`).join(' ')).join(' | ')}, ` +
        `woke ${r.woke}, ran [${r.commands.join(', ')}]`,
    );
  if (failed.length > 40) console.log(`    … and ${failed.length - 40} more`);
  // The same recognizer output through controllers at other sensitivities, or with the wake and
  // matching rules the app had before (rules-before.ts): what the rules alone change.
  const { talkHours } = score(runs.vad);
  const confidences = runs.vad.flatMap((r) =>
    r.utterances.flatMap((u) => u.words.map((w) => w.conf)),
  );
  const certain = confidences.filter((c) => c >= 0.99).length;
  console.log(
    `  word confidences: ${certain} of ${confidences.length} at ≥ 0.99 ` +
      `(${pct(certain, confidences.length)}; the app calls ≥ 98% uninformative)`,
  );
  for (const sensitivity of SENSITIVITIES) {
    const s = score(await replayed(page, runs.vad, sensitivity, 'today'));
    console.log(
      `  sensitivity ${sensitivity}: misses ${ratio(s.misses)}, false wakes ${s.falseWakes} ` +
        `(${(s.falseWakes / talkHours).toFixed(1)}/hour), commands right ${ratio(s.right)}`,
    );
  }
  console.log(
    `  the rules alone, at sensitivity ${options.sensitivity}: the same recognizer output through ` +
      `the rules before (a wake phrase anywhere, commands heard exactly) → today's`,
  );
  console.log(
    `    ${['end of speech', 'wake misses', 'commands right', 'oog rejected', 'false wakes/hour'].map((h, i) => h.padEnd(i === 0 ? 24 : 20)).join('')}`,
  );
  for (const [detector, title] of DETECTORS) {
    const before = score(await replayed(page, runs[detector], options.sensitivity, 'before'));
    const today = score(await replayed(page, runs[detector], options.sensitivity, 'today'));
    const hourly = (x) => (x.falseWakes / x.talkHours).toFixed(1);
    const cells = [
      `${ratio(before.misses)} → ${ratio(today.misses)}`,
      `${ratio(before.right)} → ${ratio(today.right)}`,
      `${ratio(before.rejected)} → ${ratio(today.rejected)}`,
      `${hourly(before)} → ${hourly(today)}`,
    ];
    console.log(`    ${title.padEnd(24)}${cells.map((c) => c.padEnd(20)).join('')}`);
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
/** The voice detector's model and runtime, from the packages the app ships them from. */
const VAD_URLS = { model: '/vad/silero_vad_v5.onnx', wasm: '/vad/ort-wasm-simd-threaded.wasm' };
const VAD_FILES = {
  [VAD_URLS.model]: 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  [VAD_URLS.wasm]: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
};
const worker = voskWorkerSource();
const { WORKER_CSP } = await loadModule('src-shared/csp.ts');
const { server, port } = await serve((url) => {
  if (url === '/')
    return { type: 'text/html', body: '<!doctype html><script src="/harness.js"></script>' };
  if (url === '/harness.js') return { type: 'text/javascript', body: harness };
  if (VAD_FILES[url]) {
    const type = url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return { type, body: fs.readFileSync(path.join(ROOT, VAD_FILES[url])) };
  }
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
