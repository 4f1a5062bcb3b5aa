/** Starts the built browser host or server as a child process and waits for the URL it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const URL_LINE = /^(https?|wss?):\/\/\S+$/m;

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** Everything it wrote to stderr so far (its structured log). */
  log(): string;
  /** Everything it wrote to stdout so far. */
  output(): string;
  /** SIGTERM, then wait for exit; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startChild(
  script: string,
  args: string[],
  timeoutMs = 20_000,
  /** A command that runs the program elsewhere (`ip netns exec <name>`: another "computer"). */
  prefix: string[] = [],
): Promise<ChildService> {
  const argv = [process.execPath, path.join(ROOT, script), ...args];
  const [command, ...rest] = [...prefix, ...argv];
  const child = spawn(command!, rest, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} printed no URL within ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = URL_LINE.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before printing its URL:\n${stderr}`));
    });
  });
  return {
    url,
    process: child,
    log: () => stderr,
    output: () => stdout,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

export function startWebHost(
  dataDir: string,
  extra: string[] = [],
  prefix: string[] = [],
): Promise<ChildService> {
  return startChild(
    'dist/main/web-host.cjs',
    ['--port', '0', '--data-dir', dataDir, ...extra],
    20_000,
    prefix,
  );
}

export function startServer(dataDir: string, extra: string[] = []): Promise<ChildService> {
  return startChild('dist/server/server.cjs', ['--port', '0', '--data-dir', dataDir, ...extra]);
}
