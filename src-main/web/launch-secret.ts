/**
 * The browser host's per-launch secret. The bridge gives the page this user's whole API, and the
 * host listens on 127.0.0.1, where any local process (or another user of the machine) can connect
 * and forge an Origin header. So the URL the host prints carries a random key once; the page's
 * first request turns it into an HttpOnly, SameSite=Strict cookie (and drops it from the
 * address), and every later request and the bridge's WebSocket upgrade must show that cookie.
 */
import crypto from 'node:crypto';
import type http from 'node:http';

export interface LaunchSecret {
  /** The query parameter that carries the key in the printed URL. */
  readonly param: string;
  readonly value: string;
  /** The cookie's name: per port, since cookies of 127.0.0.1 are shared by all its ports. */
  readonly cookieName: string;
  /** Whether the request shows the secret as its cookie. */
  admits(req: http.IncomingMessage): boolean;
  /** Whether the request's URL carries the key (the printed URL being opened). */
  carriedBy(url: URL): boolean;
  setCookieHeader(): string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && given.length === expected.length;
}

/** The value of one cookie in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function createLaunchSecret(port: number): LaunchSecret {
  const value = crypto.randomBytes(32).toString('base64url');
  const cookieName = `beseda_host_${port}`;
  return {
    param: 'key',
    value,
    cookieName,
    admits(req) {
      const given = cookieValue(req.headers.cookie, cookieName);
      return given !== null && sameSecret(given, value);
    },
    carriedBy(url) {
      const given = url.searchParams.get('key');
      return given !== null && sameSecret(given, value);
    },
    setCookieHeader() {
      return `${cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/`;
    },
  };
}
