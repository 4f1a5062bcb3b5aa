/**
 * Writes MediaRecorder's WebM output to disk as it arrives and makes it seekable at the end.
 *
 * MediaRecorder produces a live stream: no Duration in the segment info and no Cues, so players
 * show no length and cannot seek. Each chunk is appended to a part file and also fed through
 * ts-ebml's streaming decoder and reader, which keep only the header elements, the cue points
 * (cluster positions and times) and the running duration; memory stays flat however long the
 * recording. Finishing writes the rebuilt header (with Duration, SeekHead and Cues) followed by
 * the clusters copied from the part file.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Decoder, Reader, tools } from 'ts-ebml';

export interface FinishedWebm {
  durationMs: number;
  sizeBytes: number;
  videoCodec: string | null;
  audioCodec: string | null;
}

const CODEC_NAMES: Record<string, string> = {
  V_VP8: 'vp8',
  V_VP9: 'vp9',
  V_AV1: 'av1',
  'V_MPEG4/ISO/AVC': 'h264',
  A_OPUS: 'opus',
  A_VORBIS: 'vorbis',
};

/**
 * ts-ebml's encoder returns `Buffer.concat(...).buffer`, which in Node is the shared 8 KiB
 * allocation pool for small buffers, not the element's bytes (it was written for a browser
 * Buffer). With the pool off, every Buffer owns its ArrayBuffer and the result is exact; the
 * call is synchronous, so nothing else allocates while the pool is off.
 */
function seekableHeader(reader: Reader): Buffer {
  const poolSize = Buffer.poolSize;
  Buffer.poolSize = 0;
  try {
    return Buffer.from(tools.makeMetadataSeekable(reader.metadatas, reader.duration, reader.cues));
  } finally {
    Buffer.poolSize = poolSize;
  }
}

export class WebmFileWriter {
  private readonly fd: number;
  private readonly decoder = new Decoder();
  private readonly reader = new Reader();
  private bytes = 0;
  private closed = false;

  /** Appends to `partPath` (created, or continued when recovering a part file). */
  constructor(private readonly partPath: string) {
    this.reader.logging = false;
    this.reader.drop_default_duration = false;
    this.fd = fs.openSync(partPath, 'a');
  }

  /** Re-reads an existing part file (after a crash) so that it can be finished. */
  static async resume(partPath: string): Promise<WebmFileWriter> {
    const writer = new WebmFileWriter(partPath);
    for await (const chunk of fs.createReadStream(partPath, { highWaterMark: 1 << 20 }))
      writer.observe(chunk as Buffer);
    return writer;
  }

  get size(): number {
    return this.bytes;
  }

  append(chunk: Buffer): void {
    if (this.closed) throw new Error('the recording file is already finished');
    fs.writeSync(this.fd, chunk);
    this.observe(chunk);
  }

  /** Writes the seekable file to `finalPath` and removes the part file. */
  async finish(finalPath: string): Promise<FinishedWebm> {
    if (this.closed) throw new Error('the recording file is already finished');
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.reader.stop();
    if (this.reader.metadatas.length === 0 || this.reader.metadataSize === 0)
      throw new Error('the recording holds no WebM data');
    const durationMs = (this.reader.duration * this.reader.timestampScale) / 1e6;
    const header = seekableHeader(this.reader);
    const temp = `${finalPath}.tmp`;
    fs.writeFileSync(temp, header);
    await pipeline(
      fs.createReadStream(this.partPath, { start: this.reader.metadataSize }),
      fs.createWriteStream(temp, { flags: 'a' }),
    );
    fs.renameSync(temp, finalPath);
    fs.rmSync(this.partPath, { force: true });
    const codecs = this.codecs();
    return {
      durationMs: Math.round(durationMs),
      sizeBytes: fs.statSync(finalPath).size,
      videoCodec: codecs.video,
      audioCodec: codecs.audio,
    };
  }

  /** Abandons the recording: the part file is closed and deleted. */
  discard(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
    fs.rmSync(this.partPath, { force: true });
  }

  private observe(chunk: Buffer): void {
    this.bytes += chunk.length;
    const view = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength);
    for (const element of this.decoder.decode(view as ArrayBuffer)) this.reader.read(element);
  }

  private codecs(): { video: string | null; audio: string | null } {
    let video: string | null = null;
    let audio: string | null = null;
    for (const element of this.reader.metadatas) {
      if (element.name !== 'CodecID' || element.type !== 's') continue;
      const id = String(element.value);
      const name = CODEC_NAMES[id] ?? id.toLowerCase();
      if (id.startsWith('V_')) video ??= name;
      else if (id.startsWith('A_')) audio ??= name;
    }
    return { video, audio };
  }
}
