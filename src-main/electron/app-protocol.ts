/** Serves the built renderer from app://beseda/ with the renderer's CSP (no http server, no file://). */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { RENDERER_SECURITY_HEADERS, rendererCsp, WORKER_SCRIPTS } from '../../src-shared/csp';
import { contentType, openRendererFiles } from '../services/renderer-files/renderer-files';
import { APP_HOST, APP_SCHEME } from './guards';
import type { ServedFile } from '../services/media/media-service';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

export function serveRenderer(
  rendererDir: string,
  extraFile: (url: URL) => string | ServedFile | null = () => null,
): void {
  const files = openRendererFiles(rendererDir);
  const csp = rendererCsp();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const extra = url.host === APP_HOST ? extraFile(url) : null;
    // Recordings: net.fetch of the file URL answers Range requests, so the player can seek.
    if (extra) {
      const { path: file, headers } =
        typeof extra === 'string' ? { path: extra, headers: {} } : extra;
      const response = await net.fetch(pathToFileURL(file).toString(), {
        headers: request.headers,
      });
      if (!Object.keys(headers).length) return response;
      const merged = new Headers(response.headers);
      for (const [name, value] of Object.entries(headers)) merged.set(name, value);
      return new Response(response.body, { status: response.status, headers: merged });
    }
    const file = url.host === APP_HOST ? files.resolve(url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await fs.promises.readFile(file);
      return new Response(body, {
        headers: {
          ...RENDERER_SECURITY_HEADERS,
          'Content-Type': contentType(file),
          'Content-Security-Policy': WORKER_SCRIPTS.get(url.pathname) ?? csp,
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
