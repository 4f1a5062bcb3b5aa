/**
 * Decides which server the app talks to: a --server flag for this run, else the URL in settings,
 * else the embedded server ("host on this computer"), started on demand and stopped when unused.
 * The embedded server runs in one of two ways: for this app alone (loopback, a port of the
 * system's choosing, plain ws) or, while the user lets others join, for the local network (every
 * interface, a fixed port, TLS on its self-signed certificate). This is the one place where main
 * reaches into src-server (through its public entry).
 */
import path from 'node:path';
import type { Logger } from '../../../src-shared/log';
import { SERVER_WS_PATH } from '../../../src-shared/protocol/entities';
import { startSignalingServer, type RunningServer } from '../../../src-server/signaling-server';
import { reachableUrls } from '../../../src-server/server-identity';
import type { ConnectionTarget } from '../sync/server-connection';

/** The port hosting tries first when none was chosen yet (the standalone server's default). */
export const DEFAULT_HOSTING_PORT = 7600;

export interface HostingRequest {
  enabled: boolean;
  /** null: none chosen yet (DEFAULT_HOSTING_PORT, else one the system gives). */
  port: number | null;
}

type Mode = { kind: 'local' } | { kind: 'hosting'; port: number | null };

export class ServerEndpoint {
  private embedded: RunningServer | null = null;
  private mode: Mode | null = null;
  private starting: Promise<RunningServer> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  async resolve(
    settingsUrl: string | null,
    override: string | null,
    hosting: HostingRequest = { enabled: false, port: null },
  ): Promise<ConnectionTarget> {
    // Hosting keeps the embedded server up for colleagues even while this app is elsewhere.
    if (hosting.enabled) await this.startEmbedded({ kind: 'hosting', port: hosting.port });
    else if (override || settingsUrl) await this.stopEmbedded();
    if (override) return { url: override, embedded: false, source: 'override' };
    if (settingsUrl) return { url: settingsUrl, embedded: false, source: 'settings' };
    const server = await this.startEmbedded(
      hosting.enabled ? { kind: 'hosting', port: hosting.port } : { kind: 'local' },
    );
    return { url: server.url, embedded: true, source: 'embedded' };
  }

  embeddedServer(): RunningServer | null {
    return this.embedded;
  }

  /** Whether the embedded server listens for the network now. */
  isHosting(): boolean {
    return this.embedded !== null && this.mode?.kind === 'hosting';
  }

  /** The addresses colleagues can use while hosting (empty otherwise). */
  hostingUrls(): string[] {
    if (!this.embedded || !this.isHosting()) return [];
    return reachableUrls({
      host: '0.0.0.0',
      port: this.embedded.port,
      tls: true,
      publicUrls: [],
      path: SERVER_WS_PATH,
    });
  }

  private async startEmbedded(mode: Mode): Promise<RunningServer> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.embedded && sameMode(this.mode, mode, this.embedded.port)) return this.embedded;
    await this.stopEmbedded();
    this.starting = this.listen(mode).finally(() => {
      this.starting = null;
    });
    this.embedded = await this.starting;
    this.mode = mode;
    return this.embedded;
  }

  private async listen(mode: Mode): Promise<RunningServer> {
    const base = {
      dataDir: path.join(this.dataDir, 'server'),
      shutdownGraceMs: 1000,
      // "Host on this computer": its first identity (this app's user) administers it.
      firstUserIsAdmin: true,
    };
    const logger = this.logger.child({ component: 'embedded-server' });
    if (mode.kind === 'local')
      return startSignalingServer({ ...base, host: '127.0.0.1', port: 0 }, logger);
    const hosting = (port: number) =>
      startSignalingServer({ ...base, host: '0.0.0.0', port, tls: 'self-signed' }, logger);
    if (mode.port !== null) return hosting(mode.port);
    try {
      return await hosting(DEFAULT_HOSTING_PORT);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.logger.info('the default hosting port is taken; using another', {
        port: DEFAULT_HOSTING_PORT,
      });
      return hosting(0);
    }
  }

  async stopEmbedded(): Promise<void> {
    const server = this.embedded ?? (this.starting ? await this.starting.catch(() => null) : null);
    this.embedded = null;
    this.mode = null;
    if (server) await server.close();
  }
}

function sameMode(current: Mode | null, wanted: Mode, port: number): boolean {
  if (!current || current.kind !== wanted.kind) return false;
  if (wanted.kind === 'local') return true;
  return wanted.port === null || wanted.port === port;
}
