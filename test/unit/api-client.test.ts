import { createApiBridge } from '../../src-preload/client';
import type { Transport } from '../../src-preload/bridge';
import { DEFAULT_SETTINGS } from '../../src-shared/settings';

/** An in-memory transport: what the host would answer, without a host. */
function transportAnswering(answer: (channel: string, input: unknown) => unknown) {
  let emit: (name: string, payload: unknown) => void = () => undefined;
  const transport: Transport = {
    invoke: async (channel, input) => answer(channel, input),
    subscribe(listener) {
      emit = listener;
      return () => undefined;
    },
  };
  return { transport, emit: (name: string, payload: unknown) => emit(name, payload) };
}

describe('createApiBridge', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('returns replies that match the contract', async () => {
    const { transport } = transportAnswering(() => ({ ok: true, value: DEFAULT_SETTINGS }));
    await expect(createApiBridge(transport).call('settings.get', undefined)).resolves.toEqual({
      ok: true,
      value: DEFAULT_SETTINGS,
    });
  });

  it('turns malformed replies, schema mismatches and transport failures into error envelopes', async () => {
    const cases: [unknown, string][] = [
      ['nonsense', 'invalid_output'],
      [{ ok: true, value: { language: 'xx' } }, 'invalid_output'],
    ];
    for (const [reply, code] of cases) {
      const { transport } = transportAnswering(() => reply);
      await expect(
        createApiBridge(transport).call('settings.get', undefined),
      ).resolves.toMatchObject({ ok: false, error: { code } });
    }
    const failing: Transport = {
      invoke: () => Promise.reject(new Error('socket closed')),
      subscribe: () => () => undefined,
    };
    await expect(createApiBridge(failing).call('settings.get', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'socket closed' },
    });
  });

  it('delivers valid events and drops malformed or unknown ones', () => {
    const { transport, emit } = transportAnswering(() => null);
    const api = createApiBridge(transport);
    const received: unknown[] = [];
    const off = api.on('settings.changed', (s) => received.push(s.language));
    emit('settings.changed', { ...DEFAULT_SETTINGS, language: 'ru' });
    emit('settings.changed', { language: 42 });
    emit('no.such.event', {});
    off();
    emit('settings.changed', { ...DEFAULT_SETTINGS, language: 'en' });
    expect(received).toEqual(['ru']);
  });
});
