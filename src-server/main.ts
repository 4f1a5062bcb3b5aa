/** `npm run server`: the server on its own. Prints its URL on a line of its own. */
import { createLogger } from '../src-shared/log';
import { readServerConfig } from './config';
import { startSignalingServer } from './signaling-server';

async function main(): Promise<void> {
  const logger = createLogger((line) => process.stderr.write(line + '\n'), { component: 'server' });
  let config;
  try {
    config = readServerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startSignalingServer(config, logger);
  process.stdout.write(`${server.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`server failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
