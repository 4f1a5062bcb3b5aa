/**
 * Speech models, one per language, kept in the user data directory: imported from what the user
 * has (folder, .zip, .tar.gz) or downloaded from the official catalog with progress, resume and
 * a SHA-256 check; a release build may also bundle them under resources. Each installed model is
 * a checked .tar.gz served to the renderer at a URL that changes with its content (vosk-browser
 * caches models in IndexedDB by URL).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { VoiceLanguage } from '../../../src-shared/settings';
import type { VoiceModelStatus } from '../../../src-shared/ipc/voice-types';
import { ApiError } from '../../../src-shared/ipc/api-error';
import { describeSocketError } from '../sync/network-errors';
import type { Logger } from '../../../src-shared/log';
import {
  MODEL_ARCHIVE_LIMITS,
  ModelArchiveError,
  inspectTarGz,
  normalizeModel,
} from './model-archive';
import { DownloadError, downloadResumable, type DownloadProgress } from './model-download';

export interface ModelCatalogEntry {
  url: string;
  /** The published SHA-256 of the download, when there is one. */
  sha256: string | null;
  approxSizeMb: number;
}

/** The official small models (alphacephei.com/vosk/models). */
export const OFFICIAL_MODELS: Record<VoiceLanguage, ModelCatalogEntry> = {
  en: {
    url: 'https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip',
    sha256: '30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498',
    approxSizeMb: 40,
  },
  ru: {
    url: 'https://alphacephei.com/vosk/models/vosk-model-small-ru-0.22.zip',
    sha256: null,
    approxSizeMb: 45,
  },
};

const LANGUAGES: VoiceLanguage[] = ['en', 'ru'];

interface InstalledMeta {
  name: string;
  sha256: string;
  sizeBytes: number;
  source: 'download' | 'import' | 'bundled';
  checksum: 'verified' | 'recorded' | null;
  runtimeGrammar: boolean;
  vocabularySize: number;
  installedAt: number;
}

interface Busy {
  state: 'downloading' | 'importing';
  progress: DownloadProgress | null;
  abort?: AbortController;
}

export interface VoiceModelOptions {
  dir: string;
  /** resources/voice-models of a release build: `<language>.tar.gz`. */
  bundledDir?: string | null;
  catalog?: Record<VoiceLanguage, ModelCatalogEntry>;
  logger: Logger;
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NETWORK_CODES =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/;

/** Why a download failed, in words: a network failure says so and what to do instead. */
export function downloadProblem(error: unknown, url: string): string {
  const candidates = [error, (error as { cause?: unknown } | null)?.cause];
  const coded = candidates.find(
    (e): e is NodeJS.ErrnoException =>
      e instanceof Error && NETWORK_CODES.test((e as NodeJS.ErrnoException).code ?? ''),
  );
  if (!coded) return message(error);
  return `${describeSocketError(coded, url)}. This computer may be offline, or a firewall blocks it: import the model from a file instead, or try again later.`;
}

/** An uploaded archive past the size limit, said the same whether its length was declared or not. */
export function uploadTooLarge(): ApiError {
  const gib = MODEL_ARCHIVE_LIMITS.bytes / 1024 ** 3;
  return new ApiError('invalid_input', `Could not import the model: the file is over ${gib} GiB.`);
}

export class VoiceModelService {
  private readonly busy = new Map<VoiceLanguage, Busy>();
  private readonly errors = new Map<VoiceLanguage, string>();
  private readonly bundled = new Map<VoiceLanguage, InstalledMeta & { file: string }>();
  private readonly listeners = new Set<(list: VoiceModelStatus[]) => void>();
  private readonly catalog: Record<VoiceLanguage, ModelCatalogEntry>;

  constructor(private readonly options: VoiceModelOptions) {
    this.catalog = options.catalog ?? OFFICIAL_MODELS;
    fs.mkdirSync(options.dir, { recursive: true });
  }

  /** Looks at bundled models (release builds); cheap when there are none. */
  async init(): Promise<void> {
    const dir = this.options.bundledDir;
    if (!dir) return;
    for (const language of LANGUAGES) {
      const file = path.join(dir, `${language}.tar.gz`);
      if (!fs.existsSync(file)) continue;
      try {
        const layout = await inspectTarGz(file);
        this.bundled.set(language, {
          file,
          name: layout.name,
          sha256: await sha256Of(file),
          sizeBytes: fs.statSync(file).size,
          source: 'bundled',
          checksum: null,
          runtimeGrammar: layout.runtimeGrammar,
          vocabularySize: layout.vocabulary.length,
          installedAt: fs.statSync(file).mtimeMs,
        });
      } catch (error) {
        this.options.logger.warn('bundled voice model unusable', { language, error });
      }
    }
  }

  private langDir(language: VoiceLanguage): string {
    return path.join(this.options.dir, language);
  }

  private readMeta(language: VoiceLanguage): InstalledMeta | null {
    try {
      return JSON.parse(
        fs.readFileSync(path.join(this.langDir(language), 'meta.json'), 'utf8'),
      ) as InstalledMeta;
    } catch {
      return null;
    }
  }

  /** The installed archive and its metadata, or why it cannot be used. */
  private installed(
    language: VoiceLanguage,
  ): { meta: InstalledMeta; file: string } | { problem: string } | null {
    const meta = this.readMeta(language);
    if (!meta) {
      const bundled = this.bundled.get(language);
      return bundled ? { meta: bundled, file: bundled.file } : null;
    }
    const file = path.join(this.langDir(language), 'model.tar.gz');
    const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
    if (size !== meta.sizeBytes)
      return { problem: 'The model file is missing or damaged. Import or download it again.' };
    return { meta, file };
  }

  statusOf(language: VoiceLanguage): VoiceModelStatus {
    const busy = this.busy.get(language);
    const found = this.installed(language);
    const entry = this.catalog[language];
    const ok = found && 'meta' in found ? found.meta : null;
    const error = this.errors.get(language) ?? (found && 'problem' in found ? found.problem : null);
    return {
      language,
      state: busy?.state ?? (ok ? 'ready' : error ? 'error' : 'missing'),
      name: ok?.name ?? null,
      url: ok ? `/voice-models/${language}/${ok.sha256.slice(0, 16)}.tar.gz` : null,
      sizeBytes: ok?.sizeBytes ?? null,
      sha256: ok?.sha256 ?? null,
      checksum: ok?.checksum ?? null,
      source: ok?.source ?? null,
      vocabularySize: ok?.vocabularySize ?? null,
      runtimeGrammar: ok?.runtimeGrammar ?? null,
      progress: busy?.progress ?? null,
      error,
      download: entry ? { url: entry.url, approxSizeMb: entry.approxSizeMb } : null,
    };
  }

  status(): VoiceModelStatus[] {
    return LANGUAGES.map((language) => this.statusOf(language));
  }

  onChange(listener: (list: VoiceModelStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    const list = this.status();
    for (const listener of this.listeners) listener(list);
  }

  /** The words the model knows (graph/words.txt), for checking wake phrases and grammars. */
  async vocabulary(language: VoiceLanguage): Promise<string[]> {
    const found = this.installed(language);
    if (!found || !('meta' in found))
      throw new ApiError('not_found', 'No model for this language.');
    return (await inspectTarGz(found.file)).vocabulary;
  }

  /** The archive for a URL from statusOf(), or null. */
  fileFor(urlPath: string): string | null {
    const match = /^\/voice-models\/(en|ru)\/([0-9a-f]{16})\.tar\.gz$/.exec(urlPath);
    if (!match) return null;
    const found = this.installed(match[1] as VoiceLanguage);
    return found && 'meta' in found && found.meta.sha256.startsWith(match[2]!) ? found.file : null;
  }

  private claim(language: VoiceLanguage, state: Busy['state'], abort?: AbortController): Busy {
    if (this.busy.has(language))
      throw new ApiError('conflict', 'This model is already being downloaded or imported.');
    const busy: Busy = { state, progress: null, abort };
    this.busy.set(language, busy);
    this.errors.delete(language);
    this.changed();
    return busy;
  }

  /** Checks `archive`-like input, installs it atomically, and records its metadata. */
  private async install(
    language: VoiceLanguage,
    input: string,
    source: InstalledMeta['source'],
    checksum: InstalledMeta['checksum'],
  ): Promise<void> {
    const dir = this.langDir(language);
    fs.mkdirSync(dir, { recursive: true });
    const work = fs.mkdtempSync(path.join(dir, 'work-'));
    try {
      const staged = path.join(work, 'model.tar.gz');
      const layout = await normalizeModel(input, staged, work);
      const meta: InstalledMeta = {
        name: layout.name,
        sha256: await sha256Of(staged),
        sizeBytes: fs.statSync(staged).size,
        source,
        checksum,
        runtimeGrammar: layout.runtimeGrammar,
        vocabularySize: layout.vocabulary.length,
        installedAt: Date.now(),
      };
      // Meta last: a crash in between leaves a size mismatch, reported as damaged, never a hang.
      fs.rmSync(path.join(dir, 'meta.json'), { force: true });
      fs.renameSync(staged, path.join(dir, 'model.tar.gz'));
      fs.writeFileSync(path.join(work, 'meta.json'), JSON.stringify(meta, null, 2));
      fs.renameSync(path.join(work, 'meta.json'), path.join(dir, 'meta.json'));
      this.options.logger.info('voice model installed', { language, name: meta.name, source });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  async import(language: VoiceLanguage, input: string): Promise<VoiceModelStatus> {
    this.claim(language, 'importing');
    try {
      await this.install(language, input, 'import', null);
    } catch (error) {
      this.errors.set(language, `Could not import the model: ${message(error)}`);
      throw new ApiError(
        error instanceof ModelArchiveError && error.reason === 'not_found'
          ? 'not_found'
          : 'invalid_input',
        `Could not import the model: ${message(error)}`,
      );
    } finally {
      this.busy.delete(language);
      this.changed();
    }
    return this.statusOf(language);
  }

  /**
   * Imports an archive that arrives as bytes rather than as a path (the browser host's file
   * picker uploads it): kept in a folder of our own while it is checked, removed afterwards.
   * Refused in words before a byte is kept when the name is not a .zip or .tar.gz, and as soon
   * as it passes the archive size limit.
   */
  async importUpload(
    language: VoiceLanguage,
    fileName: string,
    body: AsyncIterable<Buffer>,
  ): Promise<VoiceModelStatus> {
    const extension = /\.zip$/i.test(fileName)
      ? '.zip'
      : /\.(tar\.gz|tgz)$/i.test(fileName)
        ? '.tar.gz'
        : null;
    if (!extension)
      throw new ApiError(
        'invalid_input',
        'Could not import the model: choose a .zip or a .tar.gz (a folder can be typed as a path).',
      );
    const dir = this.langDir(language);
    fs.mkdirSync(dir, { recursive: true });
    const upload = fs.mkdtempSync(path.join(dir, 'upload-'));
    try {
      const file = path.join(upload, `model${extension}`);
      let bytes = 0;
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes > MODEL_ARCHIVE_LIMITS.bytes) throw uploadTooLarge();
            yield chunk;
          }
        },
        fs.createWriteStream(file, { mode: 0o600 }),
      );
      return await this.import(language, file);
    } finally {
      fs.rmSync(upload, { recursive: true, force: true });
    }
  }

  /**
   * Starts (or resumes) the catalog download; returns at once, progress arrives as changes.
   * `done` settles when it ends, for callers that wait (tests, the fetch script).
   */
  download(language: VoiceLanguage): { status: VoiceModelStatus; done: Promise<void> } {
    const entry = this.catalog[language];
    if (!entry) throw new ApiError('not_found', 'There is no download for this language.');
    const abort = new AbortController();
    const busy = this.claim(language, 'downloading', abort);
    const dir = this.langDir(language);
    fs.mkdirSync(dir, { recursive: true });
    const part = path.join(dir, 'download.part');
    const partFor = path.join(dir, 'download.url');
    // A part file of another URL is not ours to resume.
    if (
      fs.existsSync(part) &&
      fs.readFileSync(partFor, { encoding: 'utf8', flag: 'a+' }) !== entry.url
    )
      fs.rmSync(part, { force: true });
    fs.writeFileSync(partFor, entry.url);
    let lastEmit = 0;
    const done = (async () => {
      try {
        const { sha256 } = await downloadResumable(entry.url, part, {
          signal: abort.signal,
          onProgress: (progress) => {
            busy.progress = progress;
            const now = Date.now();
            if (now - lastEmit > 200) {
              lastEmit = now;
              this.changed();
            }
          },
        });
        if (entry.sha256 && sha256 !== entry.sha256) {
          fs.rmSync(part, { force: true }); // a wrong file will not become right by resuming
          throw new Error(`SHA-256 mismatch: expected ${entry.sha256}, got ${sha256}`);
        }
        busy.state = 'importing';
        this.changed();
        const named = `${part}${entry.url.endsWith('.zip') ? '.zip' : '.tar.gz'}`;
        fs.renameSync(part, named);
        try {
          await this.install(language, named, 'download', entry.sha256 ? 'verified' : 'recorded');
        } finally {
          fs.rmSync(named, { force: true });
        }
      } catch (error) {
        const text = abort.signal.aborted
          ? 'Download paused. Start it again to resume.'
          : `Download failed: ${downloadProblem(error, entry.url)}${
              error instanceof DownloadError && error.retryable ? ' Try again to resume.' : ''
            }`;
        this.errors.set(language, text);
        this.options.logger.warn('voice model download failed', { language, error });
      } finally {
        this.busy.delete(language);
        this.changed();
      }
    })();
    return { status: this.statusOf(language), done };
  }

  cancel(language: VoiceLanguage): VoiceModelStatus {
    this.busy.get(language)?.abort?.abort();
    return this.statusOf(language);
  }

  remove(language: VoiceLanguage): VoiceModelStatus {
    if (this.busy.has(language))
      throw new ApiError('conflict', 'Wait for the download or import to finish.');
    fs.rmSync(this.langDir(language), { recursive: true, force: true });
    this.errors.delete(language);
    this.changed();
    return this.statusOf(language);
  }
}
