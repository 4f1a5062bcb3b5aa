/**
 * `npm run models:fetch`: puts the official small Vosk models into resources/voice-models/ as
 * `<language>.tar.gz`, where a release build bundles them (electron-builder.yml extraResources)
 * and the app offers them without a download. Needs internet; resumes an interrupted download;
 * checks the published SHA-256 where there is one and prints the one it got otherwise.
 *
 *   npm run models:fetch            both languages
 *   npm run models:fetch -- ru      one
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeModel } from '../src-main/services/voice/model-archive';
import { downloadResumable } from '../src-main/services/voice/model-download';
import { OFFICIAL_MODELS } from '../src-main/services/voice/voice-models';
import type { VoiceLanguage } from '../src-shared/settings';

async function fetchModel(root: string, language: VoiceLanguage): Promise<void> {
  const entry = OFFICIAL_MODELS[language];
  const outDir = path.join(root, 'resources', 'voice-models');
  fs.mkdirSync(outDir, { recursive: true });
  const part = path.join(outDir, `${language}${path.extname(entry.url)}.part`);
  let shown = -1;
  const { sha256, sizeBytes } = await downloadResumable(entry.url, part, {
    onProgress: ({ receivedBytes, totalBytes }) => {
      const percent = totalBytes ? Math.floor((receivedBytes / totalBytes) * 100) : -1;
      if (percent !== shown && percent % 10 === 0) {
        shown = percent;
        process.stdout.write(`${language}: ${percent}%\n`);
      }
    },
  });
  if (entry.sha256 && entry.sha256 !== sha256) {
    fs.rmSync(part);
    throw new Error(`${language}: SHA-256 ${sha256} is not the published ${entry.sha256}`);
  }
  const downloaded = part.replace(/\.part$/, '');
  fs.renameSync(part, downloaded);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'models-fetch-'));
  try {
    const layout = await normalizeModel(downloaded, path.join(outDir, `${language}.tar.gz`), work);
    console.log(
      `${language}: ${entry.url} (${(sizeBytes / 2 ** 20).toFixed(1)} MB, sha256 ${sha256}` +
        `${entry.sha256 ? ', as published' : ', no published checksum to compare'}) → ` +
        `resources/voice-models/${language}.tar.gz, ${layout.vocabulary.length} words`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(downloaded, { force: true });
  }
}

export async function main(root: string, args: string[]): Promise<void> {
  const languages = (args.length ? args : Object.keys(OFFICIAL_MODELS)) as VoiceLanguage[];
  for (const language of languages) {
    if (!(language in OFFICIAL_MODELS)) throw new Error(`no official model for "${language}"`);
    await fetchModel(root, language);
  }
}
