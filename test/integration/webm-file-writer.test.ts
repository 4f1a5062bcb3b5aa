/**
 * The recording writer against real WebM: a live-mode stream from ffmpeg (no duration, no
 * cues: what MediaRecorder produces) written in odd-sized chunks must come out with its true
 * duration, every frame, and working seeks; a part file left by a crash can still be finished.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WebmFileWriter } from '../../src-main/services/recordings/webm-file-writer';
import { makeTempDir } from '../support/temp-dir';

const probe = (file: string) =>
  JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-count_frames', '-show_format', '-show_streams', '-of', 'json', file],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ),
  ) as {
    format: { duration?: string };
    streams: { codec_type: string; codec_name: string; nb_read_frames: string }[];
  };

describe('WebM recording writer', () => {
  const temp = makeTempDir();
  let live: Buffer;

  beforeAll(() => {
    const file = path.join(temp.dir, 'live.webm');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=15',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-t',
      '6',
      '-g',
      '15',
      '-c:v',
      'libvpx',
      '-b:v',
      '200k',
      '-c:a',
      'libopus',
      '-f',
      'webm',
      '-live',
      '1',
      '-cluster_time_limit',
      '1000',
      file,
    ]);
    live = fs.readFileSync(file);
    expect(probe(file).format.duration).toBeUndefined(); // the input really lacks a duration
  });
  afterAll(() => temp.cleanup());

  it('writes chunks as they come and finishes a seekable file with its duration', async () => {
    const out = path.join(temp.dir, 'out.webm');
    const writer = new WebmFileWriter(`${out}.part`);
    for (let i = 0, n = 1; i < live.length; i += 997 * n++)
      writer.append(live.subarray(i, i + 997 * n));
    expect(fs.statSync(`${out}.part`).size).toBe(live.length); // on disk before finishing
    const done = await writer.finish(out);
    expect(fs.existsSync(`${out}.part`)).toBe(false);

    const info = probe(out);
    expect(Number(info.format.duration)).toBeCloseTo(6, 0);
    expect(done.durationMs / 1000).toBeCloseTo(Number(info.format.duration), 1);
    expect(done).toMatchObject({
      videoCodec: 'vp8',
      audioCodec: 'opus',
      sizeBytes: fs.statSync(out).size,
    });
    const frames = Object.fromEntries(
      info.streams.map((s) => [s.codec_type, Number(s.nb_read_frames)]),
    );
    expect(frames.video).toBe(90);
    // A seek into the middle decodes cleanly (the cues point at real clusters).
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-xerror',
      '-ss',
      '3',
      '-i',
      out,
      '-frames:v',
      '5',
      '-f',
      'null',
      '-',
    ]);
  });

  it('finishes the part file a crash left behind, from what reached the disk', async () => {
    const out = path.join(temp.dir, 'crashed.webm');
    const writer = new WebmFileWriter(`${out}.part`);
    writer.append(live.subarray(0, Math.floor(live.length / 2)));
    // No finish: the process "died". A new writer picks the part file up.
    const resumed = await WebmFileWriter.resume(`${out}.part`);
    const done = await resumed.finish(out);
    const seconds = Number(probe(out).format.duration);
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(4.5);
    expect(done.durationMs / 1000).toBeCloseTo(seconds, 1);
  });

  it('refuses to finish a file that holds no WebM', async () => {
    const out = path.join(temp.dir, 'empty.webm');
    const writer = new WebmFileWriter(`${out}.part`);
    await expect(writer.finish(out)).rejects.toThrow(/no WebM data/);
  });
});
