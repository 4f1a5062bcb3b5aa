/**
 * "Let others join this computer": follows the hosting setting (the endpoint starts the embedded
 * server for the network or for this app alone), keeps the chosen port, checks that each address
 * answers from this computer, announces the server on the local network while it hosts, and lists
 * the servers others announce.
 */
import https from 'node:https';
import type { HostingStatus, HostingAddress } from '../../../src-shared/ipc/types';
import type { Logger } from '../../../src-shared/log';
import { describeSocketError } from '../sync/network-errors';
import type { LanDiscovery } from './lan-discovery';
import type { ServerEndpoint } from './server-endpoint';

const PROBE_TIMEOUT_MS = 3000;

/** Whether the server answers at `url` (its /healthz over TLS), seen from this computer. */
export function probeAddress(url: string): Promise<HostingAddress> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const request = https.get(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: '/healthz',
        // Only whether it answers: nothing is sent, and its certificate is its own (self-signed).
        rejectUnauthorized: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        resolve({
          url,
          reachable: response.statusCode === 200,
          problem: response.statusCode === 200 ? null : `answered HTTP ${response.statusCode}`,
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error) =>
      resolve({ url, reachable: false, problem: describeSocketError(error, url) }),
    );
  });
}

/**
 * Whether quitting needs a word first: the app hosts for others, and quitting stops the server
 * they are on (with how many are connected now). Null: quit without asking.
 */
export function quitWarning(status: HostingStatus): { guests: number } | null {
  return status.state === 'on' ? { guests: status.guests } : null;
}

export class HostingService {
  private state: HostingStatus['state'] = 'off';
  private problem: string | null = null;
  private addresses: HostingAddress[] = [];
  private announced = false;
  private enabled = false;
  private readonly listeners = new Set<(status: HostingStatus) => void>();
  private probing = 0;

  constructor(
    private readonly endpoint: ServerEndpoint,
    private readonly discovery: LanDiscovery,
    private readonly logger: Logger,
    /** Connections of this app itself to its embedded server (not guests). */
    private readonly ownConnections: () => number,
  ) {
    discovery.onChange(() => this.emit());
  }

  status(): HostingStatus {
    const server = this.endpoint.embeddedServer();
    const hosting = this.endpoint.isHosting();
    return {
      enabled: this.enabled,
      state: this.state,
      port: hosting && server ? server.port : null,
      name: server?.name ?? null,
      fingerprint: server?.fingerprint ?? null,
      addresses: hosting ? this.addresses : [],
      announced: this.announced,
      problem: this.problem,
      firewall:
        process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'mac' : 'linux',
      guests: hosting && server ? Math.max(0, server.connections() - this.ownConnections()) : 0,
      discovered: this.discovery.servers().filter((s) => s.fingerprint !== server?.fingerprint),
    };
  }

  onChange(listener: (status: HostingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The endpoint is about to start (or stop) hosting as the setting says. */
  starting(enabled: boolean): void {
    this.enabled = enabled;
    this.problem = null;
    this.state = enabled ? 'starting' : 'off';
    this.emit();
  }

  /** Hosting could not start (a port in use, no permission): said in words, the setting kept. */
  failed(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    this.state = 'failed';
    this.problem =
      code === 'EADDRINUSE'
        ? 'the port is used by another program; choose another port'
        : code === 'EACCES'
          ? 'this port needs administrator rights; choose a port above 1024'
          : (error as Error).message;
    this.emit();
    void this.discovery.announce(null).then(() => this.setAnnounced(false));
  }

  /** The endpoint settled: announce (or stop announcing) and check the addresses. */
  async settled(): Promise<void> {
    const server = this.endpoint.embeddedServer();
    if (!this.endpoint.isHosting() || !server) {
      if (this.state !== 'failed') this.state = 'off';
      this.addresses = [];
      await this.discovery.announce(null);
      this.setAnnounced(false);
      return;
    }
    this.state = 'on';
    this.addresses = this.endpoint
      .hostingUrls()
      .map((url) => ({ url, reachable: null, problem: null }));
    this.emit();
    await this.discovery.announce({
      name: server.name,
      port: server.port,
      fingerprint: server.fingerprint,
    });
    this.setAnnounced(true);
    void this.checkAddresses();
  }

  /** Looks again whether each address answers (Settings' "Check again"). */
  async checkAddresses(): Promise<HostingStatus> {
    const run = ++this.probing;
    const results = await Promise.all(this.endpoint.hostingUrls().map(probeAddress));
    if (run === this.probing && this.endpoint.isHosting()) {
      this.addresses = results;
      const blocked = results.filter((r) => !r.reachable);
      if (blocked.length) this.logger.warn('hosting: addresses that do not answer', { blocked });
      this.emit();
    }
    return this.status();
  }

  private setAnnounced(announced: boolean): void {
    this.announced = announced;
    this.emit();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
