/**
 * Deleting recordings can be undone: a deleted recording leaves the list, the recordings folder
 * and the storage count at once, comes back whole (same bytes, same metadata) through
 * `undoDelete`, and is gone for good once the undo window passes or the service restarts.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RecordingService } from '../../src-main/services/recordings/recording-service';
import { openLocalDatabase, type LocalDatabase } from '../../src-main/services/storage/database';
import { StorageUsageService } from '../../src-main/services/storage/storage-usage';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';

const ROOM = `r_${'1'.repeat(24)}`;
const sha = (file: string) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('deleting recordings, with Undo', () => {
  const temp = makeTempDir();
  let live: Buffer;
  let database: LocalDatabase;
  let storage: StorageUsageService;
  let dir: string;
  const open = () => new RecordingService(database.db, dir, storage, () => 'Standup', silentLogger);

  beforeAll(() => {
    const file = path.join(temp.dir, 'live.webm');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15', '-t', '2'],
      ...['-c:v', 'libvpx', '-b:v', '200k', '-f', 'webm', '-live', '1', file],
    ]);
    live = fs.readFileSync(file);
  });
  beforeEach(() => {
    const run = path.join(temp.dir, Math.random().toString(36).slice(2));
    dir = path.join(run, 'recordings');
    database = openLocalDatabase(path.join(run, 'local.db'));
    storage = new StorageUsageService(database.db, () => DEFAULT_SETTINGS.storageLimits);
  });
  afterEach(() => database.close());
  afterAll(() => temp.cleanup());

  const record = async (recordings: RecordingService) => {
    const started = recordings.start(`c_${'2'.repeat(24)}`, ROOM, 'video/webm');
    recordings.chunk(started.id, 0, live);
    return recordings.stop(started.id, []);
  };
  const recordingBytes = () => storage.usage().find((u) => u.category === 'recordings')!.bytes;

  it('takes a deleted recording out at once and brings it back whole', async () => {
    const recordings = open();
    const kept = await record(recordings);
    const other = await record(recordings);
    const digest = sha(kept.path);
    expect(recordingBytes()).toBe(kept.sizeBytes + other.sizeBytes);

    recordings.delete(kept.id);
    expect(recordings.list().map((r) => r.id)).toEqual([other.id]);
    expect(fs.existsSync(kept.path)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.webm'))).toEqual([
      path.basename(other.path),
    ]);
    expect(recordingBytes()).toBe(other.sizeBytes);
    expect(recordings.fileFor(kept.id)).toBeNull();

    expect(recordings.undoDelete([kept.id])).toBe(1);
    expect(recordings.get(kept.id)).toEqual(kept);
    expect(sha(kept.path)).toBe(digest);
    expect(recordingBytes()).toBe(kept.sizeBytes + other.sizeBytes);
    expect(recordings.undoDelete([kept.id])).toBe(0); // already back: nothing to undo
  });

  it('deletes every recording but a running one, and undoes them together', async () => {
    const recordings = open();
    const done = [await record(recordings), await record(recordings)];
    const running = recordings.start(`c_${'3'.repeat(24)}`, ROOM, 'video/webm');
    const deleted = recordings.deleteAll();
    expect(deleted.sort()).toEqual(done.map((r) => r.id).sort());
    expect(recordings.list().map((r) => r.id)).toEqual([running.id]);
    expect(recordings.undoDelete(deleted)).toBe(2);
    expect(
      recordings
        .list()
        .map((r) => r.id)
        .sort(),
    ).toEqual([...done.map((r) => r.id), running.id].sort());
  });

  it('cannot undo after the window or in the next run: the file is gone for good', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const recordings = open();
      const late = await record(recordings);
      const alsoLate = await record(recordings);
      recordings.delete(late.id);
      recordings.delete(alsoLate.id);
      const trash = fs.readdirSync(path.join(dir, '.deleted'));
      expect(trash.sort()).toEqual([late, alsoLate].map((r) => path.basename(r.path)).sort());

      jest.advanceTimersByTime(61_000);
      expect(recordings.undoDelete([late.id])).toBe(0);
      expect(fs.readdirSync(path.join(dir, '.deleted'))).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
    const recordings = open();
    const again = await record(recordings);
    recordings.delete(again.id);
    const restarted = open(); // a new run empties what the last one kept for Undo
    expect(fs.existsSync(path.join(dir, '.deleted'))).toBe(false);
    expect(restarted.undoDelete([again.id])).toBe(0);
  });
});
