import { handleIpcCall } from '../../src-main/electron/ipc-call';
import type { Dispatch } from '../../src-main/services/api/dispatcher';
import { createLogger } from '../../src-shared/log';

describe('handleIpcCall', () => {
  const logged: string[] = [];
  const logger = createLogger((line) => logged.push(line), {}, 'debug');
  const calls: unknown[][] = [];
  const dispatch: Dispatch = async (channel, input) => {
    calls.push([channel, input]);
    return { ok: true, value: 'dispatched' };
  };

  it('dispatches calls from the app’s own frames', async () => {
    await expect(
      handleIpcCall(dispatch, logger, 'app://beseda/index.html#/chats', 'app.ping', {
        sentAt: 1,
      }),
    ).resolves.toEqual({
      ok: true,
      value: 'dispatched',
    });
    expect(calls).toEqual([['app.ping', { sentAt: 1 }]]);
  });

  it('refuses other frames without dispatching, and logs them', async () => {
    calls.length = 0;
    for (const url of [
      'https://evil.example/',
      'file:///tmp/x.html',
      'app://other/index.html',
      undefined,
    ]) {
      await expect(
        handleIpcCall(dispatch, logger, url, 'settings.update', { language: 'ru' }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(calls).toEqual([]);
    expect(logged.filter((l) => l.includes('untrusted frame'))).toHaveLength(4);
  });
});
