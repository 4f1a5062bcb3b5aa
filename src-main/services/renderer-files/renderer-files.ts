/**
 * The built renderer as files to serve, for both hosts: Electron's app:// protocol and the
 * browser host's HTTP server. Resolves request paths without ever leaving the renderer folder.
 */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolves a URL path inside `root`, or null when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const resolved = path.resolve(
    root,
    '.' + path.posix.normalize('/' + decoded.replace(/\\/g, '/')),
  );
  return resolved === root || resolved.startsWith(root + path.sep) ? resolved : null;
}

export interface RendererFiles {
  readonly root: string;
  /** index.html as built, read once. */
  readonly indexHtml: string;
  /** The file for a request path; index.html for "/"; null when outside the folder. */
  resolve(urlPath: string): string | null;
}

export function openRendererFiles(rendererDir: string): RendererFiles {
  const root = path.resolve(rendererDir);
  const indexFile = path.join(root, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new Error(`renderer not built: ${indexFile} is missing (run npm run build)`);
  }
  return {
    root,
    indexHtml: fs.readFileSync(indexFile, 'utf8'),
    resolve: (urlPath) => (urlPath === '/' ? indexFile : resolveInside(root, urlPath)),
  };
}
