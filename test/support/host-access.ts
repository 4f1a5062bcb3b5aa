/**
 * What a client of the browser host needs besides its printed URL: its origin, the bridge's
 * address, and the cookie that the printed URL's key becomes (see src-main/web/launch-secret.ts).
 * A browser gets the cookie by opening the URL; a test's own WebSocket or fetch sends it here.
 */
export interface HostAccess {
  origin: string;
  bridgeUrl: string;
  /** The Cookie header the page would send. */
  cookie: string;
  /** Options for a WebSocket (ws) to the bridge, as the page's own. */
  socketOptions: { origin: string; headers: { Cookie: string } };
}

export function hostAccess(printedUrl: string): HostAccess {
  const url = new URL(printedUrl);
  const key = url.searchParams.get('key');
  if (!key) throw new Error(`the host's URL carries no key: ${printedUrl}`);
  const cookie = `beseda_host_${url.port}=${key}`;
  return {
    origin: url.origin,
    bridgeUrl: `${url.origin.replace('http', 'ws')}/bridge`,
    cookie,
    socketOptions: { origin: url.origin, headers: { Cookie: cookie } },
  };
}
