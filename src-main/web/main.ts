/**
 * `npm run web -- --port <port> --data-dir <dir> [--server <url>]`: starts the browser host and
 * prints its URL on a line of its own. SIGTERM or SIGINT stops it cleanly.
 */
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { readOptions } from '../../src-shared/cli-options';
import { createLogger } from '../../src-shared/log';
import { createNodePlatform } from '../platform/node-platform';
import { startWebHost } from './web-host';

const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(5180),
  dataDir: z.string().min(1).default(path.join(os.homedir(), '.beseda-web')),
  server: z
    .string()
    .refine((v) => /^wss?:\/\//.test(v), 'must be a ws:// or wss:// URL')
    .nullable()
    .default(null),
});

const FLAGS = { '--port': 'port', '--data-dir': 'dataDir', '--server': 'server' };

async function main(): Promise<void> {
  let args;
  try {
    args = readOptions(process.argv.slice(2), FLAGS, Args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger((line) => process.stderr.write(line + '\n'), { process: 'web-host' });
  const version = __APP_VERSION__;
  const starting = startWebHost({
    port: args.port,
    dataDir: args.dataDir,
    serverUrl: args.server,
    rendererDir: path.join(__dirname, '..', 'renderer'),
    webPreloadFile: path.join(__dirname, '..', 'preload', 'web-preload.js'),
    platform: createNodePlatform({ appVersion: version }),
    logger,
    // The URL is printed as soon as the page can load; the services finish starting meanwhile.
    onListening: (url) => process.stdout.write(`${url}\n`),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // A signal while the services still start waits for them, then stops them cleanly.
    void starting.then((host) => host.close()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await starting;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `browser host failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
