// Cold start of the browser host to the first rendered screen in Chromium (median of 5), and the
// size of the renderer's initial JavaScript. Baseline: the same page load against a host that is
// already warm, so the difference is what a cold start costs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { ROOT, fmt, launchChromium, median, startEntry, tempDir } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);

function initialJs() {
  const html = fs.readFileSync(path.join(ROOT, 'dist/renderer/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) =>
    path.join(ROOT, 'dist/renderer', m[1]),
  );
  const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const renderer = files.reduce((sum, f) => sum + gz(f), 0);
  const webPreload = gz(path.join(ROOT, 'dist/preload/web-preload.js'));
  return { files: files.length, renderer, webPreload };
}

/** Wall-clock time (ms since the epoch) at which the page marked its first screen. */
async function firstScreenAt(page) {
  await page.waitForFunction(
    () => performance.getEntriesByName('app:first-screen').length > 0,
    null,
    { polling: 'raf' },
  );
  return page.evaluate(
    () => performance.timeOrigin + performance.getEntriesByName('app:first-screen')[0].startTime,
  );
}

// References: what Chromium needs on this machine for a page with no script at all, and for a
// bare React app (the same React, minified) that renders one element.
const reactDir = tempDir('beseda-bench-react-');
fs.writeFileSync(
  path.join(reactDir, 'app.jsx'),
  `import { createRoot } from 'react-dom/client';
import { useEffect } from 'react';
function App() { useEffect(() => { performance.mark('app:first-screen'); }, []); return <section>hello</section>; }
createRoot(document.getElementById('root')).render(<App />);`,
);
await build({
  entryPoints: [path.join(reactDir, 'app.jsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  jsx: 'automatic',
  outfile: path.join(reactDir, 'app.js'),
  define: { 'process.env.NODE_ENV': '"production"' },
  nodePaths: [path.join(ROOT, 'node_modules')],
  logLevel: 'warning',
});
const reactJs = fs.readFileSync(path.join(reactDir, 'app.js'));
const referencePages = {
  '/react.js': ['text/javascript', reactJs],
  '/react': [
    'text/html',
    '<!doctype html><div id="root"></div><script type="module" src="/react.js"></script>',
  ],
  '/': [
    'text/html',
    '<!doctype html><section>hello</section><script>performance.mark("app:first-screen")</script>',
  ],
};
const floorServer = http.createServer((req, res) => {
  const [type, body] = referencePages[req.url] ?? referencePages['/'];
  res.writeHead(200, { 'Content-Type': type });
  res.end(body);
});
await new Promise((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
const floorUrl = `http://127.0.0.1:${floorServer.address().port}/`;

const browser = await launchChromium();
const floor = [];
const bareReact = [];
const cold = [];
const hostReady = [];
const warm = [];
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = Date.now();
  const host = await startEntry('dist/main/web-host.cjs', [
    '--port',
    '0',
    '--data-dir',
    tempDir('beseda-bench-'),
  ]);
  hostReady.push(Date.now() - started);
  await page.goto(host.url);
  cold.push((await firstScreenAt(page)) - started);
  // Baseline: a fresh browser context (empty cache) against the host that is now running.
  const warmContext = await browser.newContext();
  const warmPage = await warmContext.newPage();
  const warmStart = Date.now();
  await warmPage.goto(host.url);
  warm.push((await firstScreenAt(warmPage)) - warmStart);
  await warmContext.close();
  const floorContext = await browser.newContext();
  const floorPage = await floorContext.newPage();
  const floorStart = Date.now();
  await floorPage.goto(floorUrl);
  floor.push((await firstScreenAt(floorPage)) - floorStart);
  await floorContext.close();
  const reactContext = await browser.newContext();
  const reactPage = await reactContext.newPage();
  const reactStart = Date.now();
  await reactPage.goto(`${floorUrl}react`);
  bareReact.push((await firstScreenAt(reactPage)) - reactStart);
  await reactContext.close();
  await context.close();
  await host.stop();
}
await browser.close();
floorServer.close();

const size = initialJs();
console.log(`startup (median of ${RUNS}, goal < 1000 ms cold)`);
console.log(
  `  cold: host process start -> first screen rendered  ${fmt(median(cold))}   (runs: ${cold.map((v) => v.toFixed(0)).join(', ')})`,
);
console.log(`    of which host start -> URL printed                 ${fmt(median(hostReady))}`);
console.log(`  baseline: page load on an already running host     ${fmt(median(warm))}`);
console.log(
  `  ratio cold / baseline                              ${(median(cold) / median(warm)).toFixed(2)}x`,
);
console.log(`  reference: a bare React app, same server setup     ${fmt(median(bareReact))}`);
console.log(`  floor: Chromium loading a static page, no script   ${fmt(median(floor))}`);
console.log(`initial JS, gzipped (goal < 300 KB)`);
console.log(
  `  renderer (${size.files} files)                     ${(size.renderer / 1024).toFixed(1)} KB`,
);
console.log(
  `  + browser-host preload                             ${(size.webPreload / 1024).toFixed(1)} KB`,
);
console.log(
  `  total in the browser host                          ${((size.renderer + size.webPreload) / 1024).toFixed(1)} KB`,
);
