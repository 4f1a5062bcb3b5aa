/**
 * The security decisions of the Electron shell, as plain functions so they are tested in Node:
 * which URLs the window may show, which permissions pages get, which IPC senders are trusted.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'beseda';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string | undefined | null): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for pages of the app itself (app://beseda/...), the only content the window shows. */
export function isAppUrl(url: string | undefined | null): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

export const isTrustedSender = isAppUrl;
export const mayNavigate = isAppUrl;

/** Links the user may open in the system browser; everything else is dropped. */
export function externalLinkTarget(url: string): string | null {
  const parsed = parse(url);
  if (!parsed) return null;
  return parsed.protocol === 'https:' ||
    parsed.protocol === 'http:' ||
    parsed.protocol === 'mailto:'
    ? parsed.toString()
    : null;
}

const GRANTED_TO_APP = new Set(['media', 'display-capture']);

/** Camera, microphone and screen capture for the app's own pages; nothing for anyone else. */
export function decidePermission(
  permission: string,
  requestingUrl: string | undefined | null,
): boolean {
  return GRANTED_TO_APP.has(permission) && isAppUrl(requestingUrl);
}
