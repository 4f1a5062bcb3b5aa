/** `npm run server`: the server on its own. Prints its URL on a line of its own. */
import path from 'node:path';
import { createLogger } from '../src-shared/log';
import { backUpServerData, restoreServerData } from './data-backup';
import { readServerConfig } from './config';
import { startSignalingServer } from './signaling-server';
import { ServerStore } from './server-store';
import { reachableUrls } from './server-identity';
import { inviteLink, SERVER_WS_PATH } from '../src-shared/protocol/entities';

/** `backup --data-dir D --out DIR` and `restore --data-dir D --from DIR`: see data-backup.ts. */
async function dataCommand(command: string, args: string[]): Promise<void> {
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    const given = index >= 0 ? args[index + 1] : undefined;
    if (!given) throw new Error(`${command} needs ${flag} <path>`);
    return path.resolve(given);
  };
  if (command === 'backup') {
    const dir = await backUpServerData(value('--data-dir'), value('--out'));
    process.stdout.write(`${dir}\n`);
  } else {
    const aside = restoreServerData(value('--data-dir'), value('--from'));
    process.stdout.write(`restored; the previous files are in ${aside}\n`);
  }
}

/**
 * `admin add|remove <user id> --data-dir D` and `admin list --data-dir D`: names the identities
 * that administer the server (analytics across users, goals, funnels and experiments). Safe while
 * the server runs: it reads the list from its store on every check.
 */
function adminCommand(args: string[]): void {
  const [action, ...rest] = args;
  const dirIndex = rest.indexOf('--data-dir');
  const dataDir = dirIndex >= 0 ? rest[dirIndex + 1] : undefined;
  const userId = rest.find((a, i) => !a.startsWith('--') && rest[i - 1] !== '--data-dir');
  if (!dataDir || !['add', 'remove', 'list'].includes(action ?? ''))
    throw new Error(
      'usage: admin add|remove <user id> --data-dir DIR, or admin list --data-dir DIR',
    );
  if (action !== 'list' && !/^u_[0-9a-f]{32}$/.test(userId ?? ''))
    throw new Error('a user id is u_ followed by 32 hex digits (Settings shows yours)');
  const store = new ServerStore(path.join(path.resolve(dataDir), 'server.db'));
  try {
    if (action === 'add') store.addAdmin(userId!);
    else if (action === 'remove' && !store.removeAdmin(userId!))
      throw new Error(`${userId} was not an administrator`);
    process.stdout.write(`${store.admins().join('\n')}\n`);
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  // Everything the server writes (databases, WAL files, secrets, backups) is its user's alone.
  if (process.platform !== 'win32') process.umask(0o077);
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'admin') {
    try {
      adminCommand(rest);
      return;
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  if (command === 'backup' || command === 'restore') {
    try {
      await dataCommand(command, rest);
      return;
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  const logger = createLogger((line) => process.stderr.write(line + '\n'), { component: 'server' });
  let config;
  try {
    config = readServerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startSignalingServer(config, logger);
  // What colleagues' apps need: the address and the identity to pin (invites carry both). One
  // write, so that whoever reads the URL line has the rest too.
  const urls = reachableUrls({
    host: config.host,
    port: server.port,
    tls: server.tlsCert !== null || Boolean(config.tlsCertFile),
    publicUrls: config.publicUrls,
    path: SERVER_WS_PATH,
  });
  process.stdout.write(
    [
      server.url,
      ...urls.map(
        (url) => `invite base: ${inviteLink('<code>', { url, fingerprint: server.fingerprint })}`,
      ),
      `fingerprint: ${server.fingerprint}`,
      '',
    ].join('\n'),
  );
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
