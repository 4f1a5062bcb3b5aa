/**
 * `npm run web -- --port <port> --data-dir <dir> [--server <url>]`: starts the browser host and
 * prints its URL on a line of its own. SIGTERM or SIGINT stops it cleanly.
 */
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { createLogger } from '../../src-shared/log';
import { createNodePlatform } from '../platform/node-platform';
import { startWebHost } from './web-host';

const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(5180),
  dataDir: z.string().min(1).default(path.join(os.homedir(), '.talkdesk-web')),
  server: z
    .string()
    .refine((v) => /^wss?:\/\//.test(v), 'must be a ws:// or wss:// URL')
    .nullable()
    .default(null),
});

function parseArgs(argv: string[]): z.infer<typeof Args> {
  const names: Record<string, string> = {
    '--port': 'port',
    '--data-dir': 'dataDir',
    '--server': 'server',
  };
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s) as [string, string | undefined];
    const key = names[flag];
    if (!key)
      throw new Error(
        `unknown option ${flag}; usage: --port <port> --data-dir <dir> [--server <ws-url>]`,
      );
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value`);
    raw[key] = value;
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid option ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger((line) => process.stderr.write(line + '\n'), { process: 'web-host' });
  const version = __APP_VERSION__;
  const host = await startWebHost({
    port: args.port,
    dataDir: args.dataDir,
    serverUrl: args.server,
    rendererDir: path.join(__dirname, '..', 'renderer'),
    webPreloadFile: path.join(__dirname, '..', 'preload', 'web-preload.js'),
    platform: createNodePlatform({ appVersion: version }),
    logger,
  });
  process.stdout.write(`${host.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `browser host failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
