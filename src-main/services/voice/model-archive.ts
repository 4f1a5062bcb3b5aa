/**
 * Vosk model archives: whatever the user has (a folder, a .zip as published, a .tar.gz) becomes
 * the one layout vosk-browser loads: a .tar.gz whose single top-level entry is the model folder
 * (vosk-browser strips that first path component). Every archive is read end to end before it
 * is accepted, so a truncated download or a damaged file is refused with a reason, never handed
 * to the recognizer to hang or abort on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as yauzl from 'yauzl';

// The archive libraries load on first use: most starts of the app never touch an archive.
const loadTar = () => import('tar');
const loadYauzl = () => import('yauzl').then((module) => module.default);

export class ModelArchiveError extends Error {
  constructor(
    readonly reason: 'not_found' | 'unsupported' | 'corrupt' | 'not_a_model' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'ModelArchiveError';
  }
}

export interface ModelLayout {
  /** The model folder's name (the archive's top-level entry). */
  name: string;
  runtimeGrammar: boolean;
  vocabulary: string[];
}

/**
 * What an archive may unpack to. Vosk's small models are 40–90 MB in a few dozen files, and
 * vosk-browser cannot load anything near 2 GiB into its WebAssembly memory; an archive past
 * either limit is a zip bomb or not a model, refused before (zip) or as soon as (tar) it is seen.
 */
export const MODEL_ARCHIVE_LIMITS = { bytes: 2 * 1024 ** 3, entries: 2000 };

function tooLarge(what: string): ModelArchiveError {
  const gib = MODEL_ARCHIVE_LIMITS.bytes / 1024 ** 3;
  return new ModelArchiveError(
    'too_large',
    `the archive ${what}: more than a speech model can be (at most ${gib} GiB in ` +
      `${MODEL_ARCHIVE_LIMITS.entries} files)`,
  );
}

/** Files a Vosk model cannot work without, relative to its folder. */
const REQUIRED = ['am/final.mdl', 'conf/model.conf', 'graph/words.txt'];

/** Checks a folder that should be a model; returns what is missing. */
function missingIn(files: Set<string>): string[] {
  const missing = REQUIRED.filter((f) => !files.has(f));
  const graph =
    files.has('graph/HCLG.fst') || (files.has('graph/HCLr.fst') && files.has('graph/Gr.fst'));
  if (!graph) missing.push('graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)');
  return missing;
}

/** Reads a model .tar.gz completely and checks its layout; throws ModelArchiveError. */
export async function inspectTarGz(file: string): Promise<ModelLayout> {
  if (!fs.existsSync(file)) throw new ModelArchiveError('not_found', `${file} does not exist`);
  const tops = new Set<string>();
  const files = new Set<string>();
  let words = '';
  let bytes = 0;
  let entries = 0;
  const tar = await loadTar();
  try {
    // Streamed by hand so that reading stops at the first entry past the limits (a gzip bomb is
    // not decompressed to the end just to be refused).
    await new Promise<void>((resolve, reject) => {
      const input = fs.createReadStream(file);
      const stop = (error: Error) => {
        input.destroy();
        reject(error);
      };
      const parser = new tar.Parser({
        strict: true,
        onReadEntry: (entry) => {
          entries++;
          bytes += entry.size ?? 0;
          if (entries > MODEL_ARCHIVE_LIMITS.entries) return stop(tooLarge('holds too many files'));
          if (bytes > MODEL_ARCHIVE_LIMITS.bytes) return stop(tooLarge('unpacks too large'));
          const parts = entry.path.replace(/^\.\//, '').split('/').filter(Boolean);
          if (parts.length === 0) return entry.resume();
          tops.add(parts[0]!);
          const inner = parts.slice(1).join('/');
          if (entry.type === 'File' || entry.type === 'OldFile') files.add(inner);
          if (inner === 'graph/words.txt') {
            entry.on('data', (chunk: Buffer) => (words += chunk.toString('utf8')));
          } else entry.resume();
        },
      });
      parser.on('error', stop);
      parser.on('abort', stop);
      parser.on('end', () => resolve());
      input.on('error', stop);
      input.pipe(parser);
    });
  } catch (error) {
    if (error instanceof ModelArchiveError) throw error;
    throw new ModelArchiveError(
      'corrupt',
      `the archive is damaged or incomplete (${(error as Error).message})`,
    );
  }
  if (tops.size !== 1)
    throw new ModelArchiveError(
      'not_a_model',
      'the archive must hold exactly one folder (the model)',
    );
  const missing = missingIn(files);
  if (missing.length)
    throw new ModelArchiveError('not_a_model', `not a Vosk model: missing ${missing.join(', ')}`);
  return {
    name: [...tops][0]!,
    runtimeGrammar: files.has('graph/HCLr.fst') && files.has('graph/Gr.fst'),
    vocabulary: parseWords(words),
  };
}

/** graph/words.txt: "word id" per line; Kaldi's special symbols are left out. */
export function parseWords(text: string): string[] {
  const list: string[] = [];
  for (const line of text.split('\n')) {
    const word = line.trim().split(/\s+/)[0];
    if (!word || word.startsWith('<') || word.startsWith('#') || word === '!SIL') continue;
    list.push(word);
  }
  return list;
}

/** The folder inside `dir` (itself or a descendant) that holds am/ and conf/. */
function findModelRoot(dir: string, depth = 0): string | null {
  if (fs.existsSync(path.join(dir, 'am')) && fs.existsSync(path.join(dir, 'conf'))) return dir;
  if (depth >= 3) return null;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const found = findModelRoot(path.join(dir, entry.name), depth + 1);
    if (found) return found;
  }
  return null;
}

function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Packs a model folder as `<name>/...` into a .tar.gz. */
export async function packFolder(folder: string, out: string): Promise<void> {
  const missing = missingIn(new Set(listFiles(folder)));
  if (missing.length)
    throw new ModelArchiveError('not_a_model', `not a Vosk model: missing ${missing.join(', ')}`);
  const tar = await loadTar();
  await tar.c({ gzip: true, file: out, cwd: path.dirname(folder), portable: true }, [
    path.basename(folder),
  ]);
}

/**
 * The sizes a .zip declares in its central directory, read without unpacking anything. yauzl
 * then holds every entry to its declared size while extracting (validateEntrySizes), so a bomb
 * that lies about its sizes fails there instead of filling the disk.
 */
async function declaredZipSize(file: string): Promise<{ bytes: number; entries: number }> {
  const zipLibrary = await loadYauzl();
  return new Promise((resolve, reject) => {
    zipLibrary.open(file, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('cannot open'));
      let bytes = 0;
      if (zip.entryCount > MODEL_ARCHIVE_LIMITS.entries) {
        zip.close();
        return reject(tooLarge('holds too many files'));
      }
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        bytes += entry.uncompressedSize;
        if (bytes > MODEL_ARCHIVE_LIMITS.bytes) {
          zip.close();
          return reject(tooLarge('unpacks too large'));
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve({ bytes, entries: zip.entryCount }));
      zip.readEntry();
    });
  });
}

/**
 * Extracts a .zip into `dest`, refusing entries that would land outside it and archives past
 * MODEL_ARCHIVE_LIMITS. Every failure (a file where a folder must go, a full disk) rejects with
 * a ModelArchiveError: nothing is thrown from yauzl's callbacks, where it would kill the process.
 */
export async function extractZip(file: string, dest: string): Promise<void> {
  const asArchiveError = (error: Error) =>
    error instanceof ModelArchiveError
      ? error
      : new ModelArchiveError('corrupt', `the .zip is damaged or incomplete (${error.message})`);
  try {
    await declaredZipSize(file);
  } catch (error) {
    throw asArchiveError(error as Error);
  }
  const root = path.resolve(dest);
  const zipLibrary = await loadYauzl();
  return new Promise((resolve, reject) => {
    let done = false;
    let zipFile: yauzl.ZipFile | null = null;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      zipFile?.close();
      reject(asArchiveError(error));
    };
    const guarded =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        try {
          if (!done) fn(...args);
        } catch (error) {
          fail(error as Error);
        }
      };
    zipLibrary.open(
      file,
      { lazyEntries: true, validateEntrySizes: true },
      guarded((openError: Error | null, zip?: yauzl.ZipFile) => {
        if (openError || !zip) return fail(openError ?? new Error('cannot open'));
        zipFile = zip;
        zip.on('error', fail);
        zip.on(
          'end',
          guarded(() => {
            done = true;
            resolve();
          }),
        );
        zip.on(
          'entry',
          guarded((entry: yauzl.Entry) => {
            const target = path.resolve(root, entry.fileName);
            if (!target.startsWith(root + path.sep))
              return fail(
                new ModelArchiveError('corrupt', `unsafe path in .zip: ${entry.fileName}`),
              );
            if (entry.fileName.endsWith('/')) {
              fs.mkdirSync(target, { recursive: true });
              return zip.readEntry();
            }
            fs.mkdirSync(path.dirname(target), { recursive: true });
            zip.openReadStream(
              entry,
              guarded((streamError: Error | null, stream?: NodeJS.ReadableStream) => {
                if (streamError || !stream) return fail(streamError ?? new Error('cannot read'));
                const write = fs.createWriteStream(target, { flags: 'wx' });
                stream.on('error', (error: Error) => {
                  write.destroy();
                  fail(error);
                });
                write.on('error', fail);
                write.on(
                  'finish',
                  guarded(() => zip.readEntry()),
                );
                stream.pipe(write);
              }),
            );
          }),
        );
        zip.readEntry();
      }),
    );
  });
}

export type ArchiveKind = 'folder' | 'zip' | 'tar.gz';

export function archiveKind(input: string): ArchiveKind {
  if (!fs.existsSync(input)) throw new ModelArchiveError('not_found', `${input} does not exist`);
  if (fs.statSync(input).isDirectory()) return 'folder';
  if (/\.zip$/i.test(input)) return 'zip';
  if (/\.(tar\.gz|tgz)$/i.test(input)) return 'tar.gz';
  throw new ModelArchiveError('unsupported', 'choose a model folder, a .zip or a .tar.gz');
}

/**
 * Turns a folder, .zip or .tar.gz into a checked model .tar.gz at `out`, using `workDir` for
 * unpacking. A .tar.gz already in the right layout is copied as it is.
 */
export async function normalizeModel(
  input: string,
  out: string,
  workDir: string,
): Promise<ModelLayout> {
  const kind = archiveKind(input);
  let folder: string | null;
  if (kind === 'folder') folder = input;
  else if (kind === 'zip') {
    const unpacked = path.join(workDir, 'unzipped');
    fs.mkdirSync(unpacked, { recursive: true });
    await extractZip(input, unpacked);
    folder = findModelRoot(unpacked);
    if (!folder) throw new ModelArchiveError('not_a_model', 'the .zip holds no Vosk model folder');
  } else {
    try {
      await inspectTarGz(input);
      fs.copyFileSync(input, out);
      return await inspectTarGz(out);
    } catch (error) {
      if (!(error instanceof ModelArchiveError) || error.reason !== 'not_a_model') throw error;
      // Readable but laid out differently (files at the top, or nested deeper): repack.
      const unpacked = path.join(workDir, 'untarred');
      fs.mkdirSync(unpacked, { recursive: true });
      // inspectTarGz read it to the end within the limits; extraction writes only what it saw.
      const tar = await loadTar();
      await tar.x({ file: input, cwd: unpacked, strict: true });
      folder = findModelRoot(unpacked);
      if (!folder) throw error;
    }
  }
  await packFolder(folder, out);
  return inspectTarGz(out);
}
