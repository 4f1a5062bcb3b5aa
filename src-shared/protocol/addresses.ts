/** Server addresses as people read them and as invite links carry them (no schema needed). */
import { LINK_SCHEME, SERVER_WS_PATH } from './limits';

/** A server URL as people read it: host:port for one at the usual path, else the whole URL. */
export function displayAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === SERVER_WS_PATH ? parsed.host : url;
  } catch {
    return url;
  }
}

/** How an invite names its server: host:port when that says it all, else the encoded URL. */
export function serverAddress(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'wss:' && parsed.pathname === SERVER_WS_PATH && parsed.port)
    return parsed.host;
  return encodeURIComponent(url);
}

/** The link colleagues open: a bare code link, or one that names the server and its identity. */
export function inviteLink(
  code: string,
  server?: { url: string; fingerprint: string } | null,
): string {
  if (!server) return `${LINK_SCHEME}://join/${code}`;
  const fingerprint = server.fingerprint.replace(/\s/g, '');
  return `${LINK_SCHEME}://join/${serverAddress(server.url)}/${code}#${fingerprint}`;
}
