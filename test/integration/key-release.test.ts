/**
 * Hold-to-talk's key release, for real: uiohook-napi's system-wide hook on an Xvfb display,
 * keys pressed and released with xdotool (XTEST), as a user's keyboard would. The watcher runs in
 * a child process (test/support/key-release-probe.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '../..');
const ACCELERATOR = 'CommandOrControl+Alt+Shift+Space';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '1', '-screen', '0', '640x480x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    xvfb.once('error', reject);
    xvfb.stdout!.once('data', (data: Buffer) =>
      resolve({ display: `:${data.toString().trim()}`, process: xvfb }),
    );
  });
}

describe('key release for hold-to-talk (uiohook on Xvfb)', () => {
  let xvfb: ChildProcess;
  let probe: ChildProcess;
  let display: string;
  const lines: string[] = [];
  const xdotool = (...args: string[]) =>
    execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display } });
  const send = (line: string) => probe.stdin!.write(`${line}\n`);
  const until = async (text: string, ms = 3000) => {
    const end = Date.now() + ms;
    while (!lines.includes(text) && Date.now() < end) await pause(20);
    return lines.includes(text);
  };

  beforeAll(async () => {
    const started = await startXvfb();
    xvfb = started.process;
    display = started.display;
    probe = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/run-ts.mjs'), 'test/support/key-release-probe.ts'],
      { cwd: ROOT, env: { ...process.env, DISPLAY: display }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    readline.createInterface({ input: probe.stdout! }).on('line', (line) => lines.push(line));
    const end = Date.now() + 20_000;
    while (!lines.some((l) => l === 'ready' || l.startsWith('unavailable')) && Date.now() < end)
      await pause(20);
    if (!lines.includes('ready')) throw new Error(`probe: ${lines.join(' / ') || 'no answer'}`);
  }, 30_000);
  afterAll(() => {
    probe?.stdin?.end();
    probe?.kill();
    xvfb?.kill();
  });

  it('reports the release of the shortcut key, not of the others, once', async () => {
    xdotool('keydown', 'ctrl+alt+shift+space');
    send(`watch a ${ACCELERATOR}`);
    await until(`ok watch a ${ACCELERATOR}`);
    xdotool('keyup', 'ctrl'); // a modifier first: the key is still held
    await pause(300);
    expect(lines).not.toContain('released a');
    xdotool('keyup', 'space');
    expect(await until('released a')).toBe(true);
    xdotool('keyup', 'alt+shift');
    // Pressed and released again without a new watch: nothing more is reported.
    xdotool('key', 'space');
    await pause(300);
    expect(lines.filter((l) => l === 'released a')).toHaveLength(1);
  });

  it('ends a hold whose release it missed by time, and cancels cleanly', async () => {
    send('watch b Alt+F9 400');
    expect(await until('released b', 2000)).toBe(true);
    send(`watch c ${ACCELERATOR}`);
    send('cancel c');
    await until('ok cancel c');
    xdotool('key', 'space');
    await pause(300);
    expect(lines).not.toContain('released c');
  });
});
