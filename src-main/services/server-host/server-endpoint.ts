/**
 * Decides which server the app talks to: a --server flag for this run, else the URL in settings,
 * else the embedded server ("host on this computer"), started on demand and stopped when unused.
 * This is the one place where main reaches into src-server (through its public entry).
 */
import path from 'node:path';
import type { Logger } from '../../../src-shared/log';
import { startSignalingServer, type RunningServer } from '../../../src-server/signaling-server';
import type { ConnectionTarget } from '../sync/server-connection';

export class ServerEndpoint {
  private embedded: RunningServer | null = null;
  private starting: Promise<RunningServer> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  async resolve(settingsUrl: string | null, override: string | null): Promise<ConnectionTarget> {
    if (override) {
      await this.stopEmbedded();
      return { url: override, embedded: false, source: 'override' };
    }
    if (settingsUrl) {
      await this.stopEmbedded();
      return { url: settingsUrl, embedded: false, source: 'settings' };
    }
    const server = await this.startEmbedded();
    return { url: server.url, embedded: true, source: 'embedded' };
  }

  embeddedServer(): RunningServer | null {
    return this.embedded;
  }

  private async startEmbedded(): Promise<RunningServer> {
    if (this.embedded) return this.embedded;
    this.starting ??= startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: path.join(this.dataDir, 'server'),
        shutdownGraceMs: 1000,
        // "Host on this computer": its first identity (this app's user) administers it.
        firstUserIsAdmin: true,
      },
      this.logger.child({ component: 'embedded-server' }),
    ).finally(() => {
      this.starting = null;
    });
    this.embedded = await this.starting;
    return this.embedded;
  }

  async stopEmbedded(): Promise<void> {
    const server = this.embedded ?? (this.starting ? await this.starting : null);
    this.embedded = null;
    if (server) await server.close();
  }
}
