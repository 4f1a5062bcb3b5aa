/**
 * Runs the key-release watcher in a process of its own for test/integration/key-release.test.ts
 * (the native hook reads DISPLAY from the real environment, which Jest's sandbox does not set,
 * and a hook that fails may end its process). Lines on stdin: `watch ID ACCELERATOR [MAX_MS]`,
 * `cancel ID`; lines on stdout: `ready`, `released ID`, or `unavailable REASON`.
 */
import readline from 'node:readline';
import { createKeyReleaseWatcher } from '../../src-main/platform/key-release';
import { silentLogger } from '../../src-shared/log';

export async function main(): Promise<void> {
  const watcher = createKeyReleaseWatcher(silentLogger);
  if ('unavailable' in watcher) {
    console.log(`unavailable ${watcher.unavailable}`);
    return;
  }
  const cancels = new Map<string, () => void>();
  console.log('ready');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [verb, id, accelerator, maxMs] = line.trim().split(' ');
    if (verb === 'watch' && id && accelerator)
      cancels.set(
        id,
        watcher.onceReleased(
          accelerator,
          () => console.log(`released ${id}`),
          maxMs ? Number(maxMs) : undefined,
        ),
      );
    else if (verb === 'cancel' && id) cancels.get(id)?.();
    console.log(`ok ${line.trim()}`);
  }
  watcher.stop();
}
