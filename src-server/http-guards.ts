/**
 * Decisions at the HTTP layer, before a socket becomes a WebSocket: who may read /metrics, and
 * how many connections one address may hold while they are still in their HTTP phase (a client
 * that never finishes its headers must not crowd out the others).
 */
import crypto from 'node:crypto';
import type net from 'node:net';

/** True for 127.0.0.0/8 and ::1, also when written as IPv4-mapped IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * /metrics answers a scrape from this machine, or one that shows the configured token
 * (`Authorization: Bearer <token>`); anyone else gets 401 (token configured) or 403.
 */
export function metricsAccess(
  remoteAddress: string | undefined,
  authorization: string | undefined,
  token: string | undefined,
): 'allowed' | 'unauthorized' | 'forbidden' {
  if (token) {
    const given = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? '';
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(token).digest();
    if (given && crypto.timingSafeEqual(a, b)) return 'allowed';
  }
  if (isLoopbackAddress(remoteAddress)) return 'allowed';
  return token ? 'unauthorized' : 'forbidden';
}

/**
 * Counts the sockets of each address that have not become WebSockets (or finished as plain
 * requests), and destroys a new one past `limit`. Node's headersTimeout/requestTimeout end the
 * stalled ones; this keeps one address from holding hundreds meanwhile.
 */
export class PendingConnections {
  private readonly byAddress = new Map<string, Set<net.Socket>>();
  /** The address each counted socket was counted under (a closed socket no longer says). */
  private readonly addressOf = new WeakMap<net.Socket, string>();

  constructor(private readonly limit: number) {}

  /** A new TCP connection; false (and destroyed) when its address already has too many. */
  admit(socket: net.Socket): boolean {
    const address = socket.remoteAddress ?? '';
    let set = this.byAddress.get(address);
    if (!set) this.byAddress.set(address, (set = new Set()));
    if (this.limit > 0 && set.size >= this.limit) {
      socket.destroy();
      return false;
    }
    set.add(socket);
    this.addressOf.set(socket, address);
    socket.once('close', () => this.settled(socket));
    return true;
  }

  /** The socket upgraded (it is counted as a WebSocket from now on) or closed. */
  settled(socket: net.Socket): void {
    const address = this.addressOf.get(socket);
    if (address === undefined) return;
    this.addressOf.delete(socket);
    const set = this.byAddress.get(address);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.byAddress.delete(address);
  }

  count(): number {
    let n = 0;
    for (const set of this.byAddress.values()) n += set.size;
    return n;
  }
}
