/** Serves the built renderer (and the web preload) with the renderer's CSP. */
import fs from 'node:fs';
import type http from 'node:http';
import { RENDERER_SECURITY_HEADERS } from '../../src-shared/csp';
import { contentType, openRendererFiles } from '../services/renderer-files/renderer-files';

export interface StaticFilesOptions {
  rendererDir: string;
  webPreloadFile: string;
  csp: string;
}

/** The preload goes before the first script, so `window.api` exists before the app starts. */
export function injectPreload(html: string): string {
  return html.replace(
    /<script|<\/head>/i,
    (tag) => `<script src="/web-preload.js"></script>\n    ${tag}`,
  );
}

export function createStaticHandler(options: StaticFilesOptions) {
  const files = openRendererFiles(options.rendererDir);
  const indexHtml = injectPreload(files.indexHtml);

  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    for (const [name, value] of Object.entries(RENDERER_SECURITY_HEADERS))
      res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(req.url ?? '/', 'http://host.invalid').pathname;
    if (urlPath === '/' || urlPath === '/index.html') {
      res.writeHead(200, {
        'Content-Type': contentType('index.html'),
        'Content-Security-Policy': options.csp,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : indexHtml);
      return;
    }
    const file = urlPath === '/web-preload.js' ? options.webPreloadFile : files.resolve(urlPath);
    if (!file) {
      res.writeHead(400).end('bad path');
      return;
    }
    fs.stat(file, (error, stats) => {
      if (error || !stats.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': stats.size,
        'Cache-Control': urlPath.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  };
}
