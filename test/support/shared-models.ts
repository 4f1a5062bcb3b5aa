/**
 * The tiny espeak-trained Vosk models in ../shared/models (see ../shared/README.md): beside the
 * project on every developer machine and in CI, never committed into it.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SHARED_MODELS_DIR = path.resolve(__dirname, '../../../shared/models');

export function sharedModel(language: 'en' | 'ru'): { folder: string; tarGz: string } {
  const folder = path.join(SHARED_MODELS_DIR, `vosk-model-synth-${language}-espeak`);
  const tarGz = `${folder}.tar.gz`;
  if (!fs.existsSync(folder) || !fs.existsSync(tarGz))
    throw new Error(`the test model is missing: ${folder}(.tar.gz); see ../shared/README.md`);
  return { folder, tarGz };
}
