#!/usr/bin/env node
// Runs Electronegativity over the Electron shell and services (src-main) and fails on any medium
// or high finding that docs/electronegativity-review.json does not explain. The check that needs
// the internet (the list of Electron releases) is skipped; the Electron version is given.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const review = JSON.parse(
  fs.readFileSync(path.join(root, 'docs/electronegativity-review.json'), 'utf8'),
).reviewed;
const csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eng-')), 'findings.csv');
execFileSync(
  path.join(root, 'node_modules/.bin/electronegativity'),
  [
    '-i',
    path.join(root, 'src-main'),
    '-r',
    '-s',
    'medium',
    '-v',
    'false',
    '-e',
    electronVersion,
    '-x',
    'AvailableSecurityFixesGlobalCheck',
    '-o',
    csv,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

/** Splits one CSV line (quoted fields may hold commas). */
function fields(line) {
  const out = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out;
}

const findings = fs
  .readFileSync(csv, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line) => /^[A-Z_]+,/.test(line))
  .map(fields)
  .map(([id, severity, confidence, file, location]) => ({
    id,
    severity,
    confidence,
    file,
    location,
  }));
const unexplained = findings.filter((f) => review[f.id]?.file !== f.file);
for (const f of findings)
  console.log(
    `${unexplained.includes(f) ? 'UNEXPLAINED' : 'reviewed   '} ${f.severity.padEnd(6)} ${f.id} ${f.file}:${f.location}`,
  );
if (unexplained.length) {
  console.error(
    `\n${unexplained.length} finding(s) need a fix or an explanation in docs/electronegativity-review.json`,
  );
  process.exit(1);
}
console.log(`\nelectronegativity: ${findings.length} medium/high finding(s), all reviewed`);
