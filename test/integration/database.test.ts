import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openLocalDatabase } from '../../src-main/services/storage/database';
import {
  MIGRATIONS,
  MigrationError,
  type Migration,
} from '../../src-main/services/storage/migrations';
import { AppRunLog } from '../../src-main/services/storage/app-runs';
import { makeTempDir } from '../support/temp-dir';

describe('local database', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('opens in WAL mode with foreign keys on, migrated to the newest schema', () => {
    const file = path.join(temp.dir, 'a', 'store.db');
    const database = openLocalDatabase(file);
    expect(database.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.schemaVersion()).toBe(MIGRATIONS.length);
    database.db.prepare("INSERT INTO app_meta (key, value) VALUES ('k', 'v')").run();
    expect(database.sizes().fileBytes).toBe(fs.statSync(file).size);
    expect(database.sizes().walBytes).toBeGreaterThan(0);
    database.close();
    // Reopening runs no migration again and keeps the data.
    const reopened = openLocalDatabase(file);
    expect(reopened.db.prepare("SELECT value FROM app_meta WHERE key = 'k'").get()).toEqual({
      value: 'v',
    });
    reopened.close();
  });

  it('leaves the database exactly as it was when a migration fails', () => {
    const file = path.join(temp.dir, 'failing.db');
    openLocalDatabase(file).close();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'half-done',
        up(db) {
          db.exec('CREATE TABLE added_first (x INTEGER)');
          db.exec("INSERT INTO app_meta (key, value) VALUES ('touched', 'yes')");
          db.exec('THIS IS NOT SQL');
        },
      },
    ];
    let thrown: unknown;
    try {
      openLocalDatabase(file, broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MigrationError);
    expect((thrown as MigrationError).version).toBe(MIGRATIONS.length + 1);

    const raw = new BetterSqlite3(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(
      raw.prepare("SELECT name FROM sqlite_master WHERE name = 'added_first'").get(),
    ).toBeUndefined();
    expect(raw.prepare("SELECT * FROM app_meta WHERE key = 'touched'").get()).toBeUndefined();
    raw.close();
  });

  it('refuses a database made by a newer version of the app', () => {
    const file = path.join(temp.dir, 'future.db');
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openLocalDatabase(file)).toThrow(/newer than this app knows/);
  });

  it('tells an unclean shutdown from a clean one', () => {
    const database = openLocalDatabase(path.join(temp.dir, 'runs.db'));
    const first = new AppRunLog(database.db);
    expect(first.begin('web', '1')).toEqual({ previousRunUnclean: false });
    // The process dies here: no end().
    const second = new AppRunLog(database.db);
    expect(second.begin('web', '1')).toEqual({ previousRunUnclean: true });
    second.end();
    expect(new AppRunLog(database.db).begin('web', '1')).toEqual({ previousRunUnclean: false });
    database.close();
  });
});
