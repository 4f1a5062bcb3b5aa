/**
 * Gets a file ready to leave this computer: an image is decoded and encoded again without its
 * metadata (EXIF with the place it was taken, camera serials, comments), turned upright first,
 * and gets a small JPEG thumbnail; anything else goes as it is. Each result is named by its
 * SHA-256, which is also its address on the server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { fileTypeFromFile } from 'file-type';
import { THUMBNAIL_PX } from '../../../src-shared/protocol/limits';

/** Raster images we re-encode (and show inline); everything else is a file card. */
const REENCODED: Record<string, 'jpeg' | 'png' | 'webp' | 'avif'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  // Formats browsers cannot show become JPEGs.
  'image/tiff': 'jpeg',
  'image/heic': 'jpeg',
  'image/heif': 'jpeg',
};
const EXTENSION: Record<string, string> = {
  jpeg: '.jpg',
  png: '.png',
  webp: '.webp',
  avif: '.avif',
};

/** Images bigger than this many pixels are not decoded (a decompression bomb, or not a photo). */
const MAX_PIXELS = 120_000_000;

export interface PreparedBlob {
  sha256: string;
  size: number;
  /** Where the bytes are now (a temporary file the caller moves into the media store). */
  file: string;
}

export interface PreparedFile {
  name: string;
  mime: string;
  main: PreparedBlob;
  width?: number;
  height?: number;
  thumb?: PreparedBlob;
}

/** Types (found in the content) and names that run code when opened: never opened from the chat. */
const PROGRAM_TYPES =
  /x-elf|x-msdownload|x-mach-binary|x-executable|x-sh|x-msi|vnd\.microsoft\.portable-executable|java-archive|x-apple-diskimage/;
const PROGRAM_NAMES =
  /\.(exe|msi|bat|cmd|com|scr|ps1|vbs|js|jse|wsf|sh|bash|command|app|appimage|deb|rpm|jar|dmg|pkg|lnk|desktop|html?|svg)$/i;

export async function isProgram(file: string, name: string): Promise<boolean> {
  if (PROGRAM_NAMES.test(name)) return true;
  const type = await fileTypeFromFile(file).catch(() => undefined);
  return Boolean(type && PROGRAM_TYPES.test(type.mime));
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

async function blobOf(file: string, sha256?: string): Promise<PreparedBlob> {
  return { file, sha256: sha256 ?? (await sha256OfFile(file)), size: fs.statSync(file).size };
}

function renamed(name: string, format: string): string {
  const extension = EXTENSION[format]!;
  const base = name.replace(/\.[^.]*$/, '');
  return name.toLowerCase().endsWith(extension) ? name : `${base || 'image'}${extension}`;
}

/**
 * Prepares `source` (a staged copy the caller owns; it may be replaced) sent under `name`; its
 * SHA-256 when the caller hashed it while it arrived. Temporary outputs go next to it.
 */
export async function prepareFile(
  source: string,
  name: string,
  sourceSha256?: string,
): Promise<PreparedFile> {
  const type = await fileTypeFromFile(source).catch(() => undefined);
  const mime = type?.mime ?? 'application/octet-stream';
  const format = REENCODED[mime];
  if (!format) return { name, mime, main: await blobOf(source, sourceSha256) };
  try {
    // rotate() applies the EXIF orientation; the output keeps no metadata (sharp's default). The
    // thumbnail is made from the source too (JPEG shrink-on-load makes it quick), at the same time.
    const cleaned = `${source}.clean`;
    const thumbFile = `${source}.thumb`;
    const [info] = await Promise.all([
      sharp(source, { limitInputPixels: MAX_PIXELS })
        .rotate()
        .toFormat(format, format === 'jpeg' ? { quality: 90 } : {})
        .toFile(cleaned),
      sharp(source, { limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 72 })
        .toFile(thumbFile),
    ]);
    fs.rmSync(source, { force: true });
    return {
      name: renamed(name, format),
      mime: `image/${format}`,
      main: await blobOf(cleaned),
      width: info.width,
      height: info.height,
      thumb: await blobOf(thumbFile),
    };
  } catch {
    // Not decodable after all (a broken or hostile image): it goes as a plain file.
    return { name, mime: 'application/octet-stream', main: await blobOf(source, sourceSha256) };
  }
}
