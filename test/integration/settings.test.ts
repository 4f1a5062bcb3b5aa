import fs from 'node:fs';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { SettingsService } from '../../src-main/services/settings/settings-service';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { silentLogger } from '../../src-shared/log';
import { makeTempDir } from '../support/temp-dir';

describe('SettingsService on the Node platform store', () => {
  const platform = createNodePlatform();
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir()));
  afterEach(() => temp.cleanup());

  it('starts from defaults and persists updates across instances', () => {
    const first = new SettingsService(platform.openSettingsStore(temp.dir), silentLogger);
    expect(first.get()).toEqual(DEFAULT_SETTINGS);
    const changes: string[] = [];
    first.onChange((next, previous) => changes.push(`${previous.language}->${next.language}`));
    first.update({ language: 'ru', shortcuts: { toggleWindow: 'Alt+F9' } });
    expect(changes).toEqual(['system->ru']);

    const second = new SettingsService(platform.openSettingsStore(temp.dir), silentLogger);
    expect(second.get()).toEqual({
      ...DEFAULT_SETTINGS,
      language: 'ru',
      shortcuts: { ...DEFAULT_SETTINGS.shortcuts, toggleWindow: 'Alt+F9' },
    });
  });

  it('repairs a hand-broken file field by field and keeps the rest', () => {
    const store = platform.openSettingsStore(temp.dir);
    fs.writeFileSync(
      store.path,
      JSON.stringify({ language: 'ru', serverUrl: 12, closeToTray: false }),
    );
    const service = new SettingsService(platform.openSettingsStore(temp.dir), silentLogger);
    expect(service.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'ru', closeToTray: false });
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).serverUrl).toBeNull();
  });

  it('starts from defaults when the file is not JSON at all', () => {
    const store = platform.openSettingsStore(temp.dir);
    fs.writeFileSync(store.path, '{{{ not json');
    expect(new SettingsService(platform.openSettingsStore(temp.dir), silentLogger).get()).toEqual(
      DEFAULT_SETTINGS,
    );
  });
});
