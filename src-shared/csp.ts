/**
 * The renderer's Content-Security-Policy, one definition for both hosts: the Electron shell's
 * app:// protocol and the browser host's HTTP server. `connectSrc` adds what the host needs
 * (the browser host's bridge socket); the Electron renderer connects nowhere itself.
 */
export function rendererCsp(connectSrc: string[] = []): string {
  return [
    "default-src 'none'",
    // The page runs no WebAssembly and no eval; the speech engine's worker has its own CSP.
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The CSP of a dedicated worker comes from the worker script's own response. The speech engine
 * (vosk-browser: Emscripten glue that builds functions with `new Function`, and WASM) needs eval
 * there; a worker has no DOM and talks to the page only by messages, so the page stays strict.
 * It may fetch the model from the app's own origin and nothing else.
 */
export const WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "connect-src 'self'",
].join('; ');

/**
 * The voice-activity detector's worker (onnxruntime-web's WASM build running Silero VAD) needs
 * to compile WebAssembly, not eval; it fetches its model and the runtime from the app itself.
 */
export const VAD_WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
].join('; ');

/** The worker scripts with a CSP of their own, by path relative to the renderer's root. */
export const WORKER_SCRIPTS = new Map([
  ['/vosk-worker.js', WORKER_CSP],
  ['/vad-worker.js', VAD_WORKER_CSP],
]);

export const RENDERER_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
