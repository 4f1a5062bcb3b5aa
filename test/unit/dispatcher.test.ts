import { createDispatcher, type ApiHandlers } from '../../src-main/services/api/dispatcher';
import { ApiError } from '../../src-shared/ipc/envelope';
import { channelNames } from '../../src-shared/ipc/contract';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';
import { createLogger, type LogLevel } from '../../src-shared/log';

function setup(overrides: Partial<ApiHandlers> = {}) {
  const lines: { level: LogLevel; record: Record<string, unknown> }[] = [];
  const logger = createLogger(
    (line, level) => lines.push({ level, record: JSON.parse(line) }),
    {},
    'debug',
  );
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  // Every channel exists (the type demands it); the ones this test does not call throw.
  const unused = Object.fromEntries(
    channelNames.map((name) => [name, notUsed]),
  ) as unknown as ApiHandlers;
  const handlers: ApiHandlers = {
    ...unused,
    'app.info': notUsed,
    'app.ping': ({ sentAt }) => ({ sentAt, at: 42 }),
    'settings.get': () => DEFAULT_SETTINGS,
    'settings.update': (patch) => ({
      ...DEFAULT_SETTINGS,
      ...patch,
      shortcuts: DEFAULT_SETTINGS.shortcuts,
      storageLimits: DEFAULT_SETTINGS.storageLimits,
      voice: DEFAULT_SETTINGS.voice,
      hosting: DEFAULT_SETTINGS.hosting,
      backups: DEFAULT_SETTINGS.backups,
      notifications: DEFAULT_SETTINGS.notifications,
    }),
    'health.snapshot': notUsed,
    'connection.status': notUsed,
    'connection.reconnect': notUsed,
    'shortcuts.status': () => [],
    ...overrides,
  };
  return { dispatch: createDispatcher(handlers, logger), lines };
}

describe('createDispatcher', () => {
  it('runs a valid call and returns its output', async () => {
    const { dispatch } = setup();
    await expect(dispatch('app.ping', { sentAt: 7 })).resolves.toEqual({
      ok: true,
      value: { sentAt: 7, at: 42 },
    });
    await expect(dispatch('settings.update', { language: 'ru' })).resolves.toMatchObject({
      ok: true,
      value: { language: 'ru' },
    });
  });

  it('refuses unknown channels, including prototype names', async () => {
    const { dispatch, lines } = setup();
    for (const channel of ['nope', '__proto__', 'constructor', 42, null]) {
      await expect(dispatch(channel, undefined)).resolves.toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });
    }
    expect(lines.filter((l) => l.record.msg === 'api: unknown channel')).toHaveLength(5);
  });

  it('names what was wrong with invalid input and logs it', async () => {
    const { dispatch, lines } = setup();
    const result = await dispatch('settings.update', { language: 'klingon' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('language'),
        issues: [{ path: 'language' }],
      },
    });
    await expect(dispatch('app.ping', { sentAt: 'soon' })).resolves.toMatchObject({
      error: { code: 'invalid_input' },
    });
    await expect(dispatch('settings.get', { unexpected: true })).resolves.toMatchObject({
      error: { code: 'invalid_input' },
    });
    expect(lines.some((l) => l.level === 'warn' && l.record.msg === 'api: invalid input')).toBe(
      true,
    );
  });

  it('passes ApiErrors through and hides internal failures', async () => {
    const { dispatch, lines } = setup({
      'settings.get': () => {
        throw new ApiError('conflict', 'busy elsewhere');
      },
      'shortcuts.status': () => {
        throw new Error('disk on fire at /secret/path');
      },
    });
    await expect(dispatch('settings.get', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'conflict', message: 'busy elsewhere' },
    });
    const internal = await dispatch('shortcuts.status', undefined);
    expect(internal).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal error in shortcuts.status' },
    });
    expect(
      lines.some((l) => l.level === 'error' && JSON.stringify(l.record).includes('disk on fire')),
    ).toBe(true);
  });

  it('does not let a handler return data outside its schema', async () => {
    const { dispatch } = setup({ 'app.ping': () => ({ sentAt: 1, at: 'later' }) as never });
    await expect(dispatch('app.ping', { sentAt: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_output' },
    });
  });
});
