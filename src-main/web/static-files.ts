/** Serves the built renderer (and the web preload) with the renderer's CSP. */
import fs from 'node:fs';
import type http from 'node:http';
import { RENDERER_SECURITY_HEADERS, WORKER_SCRIPTS } from '../../src-shared/csp';
import { contentType, openRendererFiles } from '../services/renderer-files/renderer-files';
import type { ServedFile } from '../services/media/media-service';

export interface StaticFilesOptions {
  rendererDir: string;
  webPreloadFile: string;
  csp: string;
  /**
   * Files outside the renderer (recordings, models, media) by request URL, or null when there is
   * none; a file may come with headers of its own (type, disposition).
   */
  extraFile?: (url: URL) => string | ServedFile | null;
}

/** Serves a file with byte ranges, so that media elements can seek in it. */
export function serveWithRanges(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  size: number,
  headers: Record<string, string> = {},
): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = size - 1;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    } else start = Math.max(0, size - Number(range[2]));
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
  }
  const partial = range !== null && (range[1] !== '' || range[2] !== '');
  res.writeHead(partial ? 206 : 200, {
    'Content-Type': contentType(file),
    'Content-Length': end - start + 1,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
    ...headers,
    ...(partial ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file, { start, end }).pipe(res);
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
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const urlPath = url.pathname;
    if (urlPath === '/' || urlPath === '/index.html') {
      res.writeHead(200, {
        'Content-Type': contentType('index.html'),
        'Content-Security-Policy': options.csp,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : indexHtml);
      return;
    }
    const extra = options.extraFile?.(url);
    if (extra) {
      const { path: file, headers } =
        typeof extra === 'string' ? { path: extra, headers: {} } : extra;
      fs.stat(file, (error, stats) => {
        if (error || !stats.isFile()) res.writeHead(404).end('not found');
        else serveWithRanges(req, res, file, stats.size, headers);
      });
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
        ...(WORKER_SCRIPTS.has(urlPath)
          ? { 'Content-Security-Policy': WORKER_SCRIPTS.get(urlPath)! }
          : {}),
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  };
}
