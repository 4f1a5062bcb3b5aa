/**
 * Servers on the local network, over mDNS/DNS-SD (`_beseda._tcp`, through bonjour-service): this
 * app announces its embedded server while it hosts for others, and lists the servers colleagues'
 * apps announce, with the fingerprint each one gives (which the connection then checks).
 *
 * Multicast leaves a machine by one interface per socket, so there is one responder per IPv4
 * interface (a laptop on Wi-Fi and a VPN, a test's veth); new interfaces are picked up as they
 * come. What is announced is only a hint: the fingerprint is checked when the app connects.
 */
import os from 'node:os';
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import type { Logger } from '../../../src-shared/log';
import type { DiscoveredServer } from '../../../src-shared/ipc/types';
import { spacedFingerprint } from '../sync/server-pins';

export const SERVICE_TYPE = 'beseda';

export interface Announcement {
  /** The instance name people see ("Alice's computer"). */
  name: string;
  port: number;
  /** The server key's fingerprint. */
  fingerprint: string;
}

interface Responder {
  bonjour: Bonjour;
  browser: Browser;
  published: Service | null;
}

const RESCAN_MS = 10_000;

function lanInterfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

export class LanDiscovery {
  private readonly responders = new Map<string, Responder>();
  private announcement: Announcement | null = null;
  private readonly found = new Map<string, DiscoveredServer>();
  private readonly listeners = new Set<(servers: DiscoveredServer[]) => void>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly interfaces: () => string[] = lanInterfaceAddresses,
  ) {}

  /** Starts listening for servers (and announcing, once announce() is called). */
  start(): void {
    this.stopped = false;
    this.rescan();
    this.timer ??= setInterval(() => this.rescan(), RESCAN_MS);
    this.timer.unref();
  }

  /** Announces this app's server on every interface (null: stops announcing, with a goodbye). */
  announce(announcement: Announcement | null): Promise<void> {
    const same = JSON.stringify(announcement) === JSON.stringify(this.announcement);
    this.announcement = announcement;
    if (same) return Promise.resolve();
    return Promise.all(
      [...this.responders.values()].map((responder) => this.publishOn(responder)),
    ).then(() => undefined);
  }

  servers(): DiscoveredServer[] {
    return [...this.found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  onChange(listener: (servers: DiscoveredServer[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the network again now (Settings opened, "Look again"). */
  refresh(): void {
    this.rescan();
    for (const responder of this.responders.values()) responder.browser.update();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.announcement = null;
    const all = [...this.responders.entries()];
    this.responders.clear();
    await Promise.all(all.map(([, responder]) => this.close(responder)));
  }

  private rescan(): void {
    if (this.stopped) return;
    const now = new Set(this.interfaces());
    for (const [address, responder] of this.responders)
      if (!now.has(address)) {
        this.responders.delete(address);
        void this.close(responder);
      }
    for (const address of now) {
      if (this.responders.has(address)) continue;
      try {
        this.responders.set(address, this.open(address));
      } catch (error) {
        this.logger.warn('cannot use mDNS on an interface', { address, error });
      }
    }
  }

  private open(address: string): Responder {
    // Bound to every address (multicast is not delivered to a socket bound to a unicast one),
    // sending and joining the group on this interface only.
    const bonjour = new Bonjour(
      { interface: address, bind: '0.0.0.0' } as unknown as ConstructorParameters<
        typeof Bonjour
      >[0],
      (error: Error) => this.logger.warn('mDNS error', { address, error }),
    );
    const browser = bonjour.find({ type: SERVICE_TYPE });
    browser.on('up', (service) => this.seen(service));
    browser.on('txt-update', (service) => this.seen(service));
    browser.on('srv-update', (service) => this.seen(service));
    browser.on('down', (service) => this.gone(service));
    const responder: Responder = { bonjour, browser, published: null };
    void this.publishOn(responder);
    return responder;
  }

  private async publishOn(responder: Responder): Promise<void> {
    const previous = responder.published;
    responder.published = null;
    if (previous) await new Promise<void>((resolve) => previous.stop?.(() => resolve()));
    const announcement = this.announcement;
    if (!announcement || !this.announcement) return;
    const fp = announcement.fingerprint.replace(/\s/g, '');
    responder.published = responder.bonjour.publish({
      // Two computers may share a name; their identities differ (and set them apart in lists).
      name: `${announcement.name} (${fp.slice(0, 4)})`,
      type: SERVICE_TYPE,
      port: announcement.port,
      // No probing: this app's own responders on other interfaces would answer it as a conflict.
      probe: false,
      disableIPv6: true,
      txt: { fp, tls: '1', path: '/ws', v: '1' },
    });
    responder.published.on('error', (error: Error) =>
      this.logger.warn('could not announce the server', { error }),
    );
  }

  private async close(responder: Responder): Promise<void> {
    responder.browser.stop();
    await new Promise<void>((resolve) => responder.bonjour.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => responder.bonjour.destroy(() => resolve()));
  }

  private seen(service: Service): void {
    const txt = (service.txt ?? {}) as Record<string, unknown>;
    const fp = typeof txt.fp === 'string' ? txt.fp : '';
    const address = service.referer?.address ?? service.addresses?.[0];
    if (!/^[0-9a-f]{40}$/i.test(fp) || !address || !service.port) return;
    const host = address.includes(':') ? `[${address}]` : address;
    const scheme = txt.tls === '0' ? 'ws' : 'wss';
    const path = typeof txt.path === 'string' && txt.path.startsWith('/') ? txt.path : '/ws';
    const server: DiscoveredServer = {
      name: service.name,
      url: `${scheme}://${host}:${service.port}${path}`,
      fingerprint: spacedFingerprint(fp),
      lastSeen: Date.now(),
    };
    this.found.set(service.fqdn || service.name, server);
    this.emit();
  }

  private gone(service: Service): void {
    if (this.found.delete(service.fqdn || service.name)) this.emit();
  }

  private emit(): void {
    const list = this.servers();
    for (const listener of this.listeners) listener(list);
  }
}
