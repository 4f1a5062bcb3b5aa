// Round trip of a small contract call over the browser host's bridge, measured in Chromium:
// median and p99 over 10,000 sequential calls of app.ping. Baseline, in the same run: the same
// loop over a bare `ws` echo server, so the ratio is what the contract layer costs.
import { WebSocketServer } from 'ws';
import { fmt, launchChromium, median, quantile, startEntry, tempDir } from './lib.mjs';

const CALLS = Number(process.env.CALLS ?? 10_000);

const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
echo.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
await new Promise((resolve) => echo.once('listening', resolve));
const echoUrl = `ws://127.0.0.1:${echo.address().port}`;

const host = await startEntry('dist/main/web-host.cjs', [
  '--port',
  '0',
  '--data-dir',
  tempDir('beseda-bench-'),
]);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(host.url);
await page.getByTestId('screen-chats').waitFor();

const bridge = await page.evaluate(async (calls) => {
  const times = [];
  for (let i = 0; i < 200; i++) await window.api.call('app.ping', { sentAt: i }); // warm-up
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const reply = await window.api.call('app.ping', { sentAt: i });
    times.push(performance.now() - t0);
    if (!reply.ok) throw new Error(reply.error.message);
  }
  return times;
}, CALLS);

// The echo baseline runs in a blank page: the app's CSP rightly forbids other sockets.
const blank = await browser.newPage();
const baseline = await blank.evaluate(
  async ({ url, calls }) => {
    const socket = new WebSocket(url);
    await new Promise((resolve) => (socket.onopen = resolve));
    const once = (text) =>
      new Promise((resolve) => {
        socket.onmessage = (m) => resolve(JSON.parse(m.data));
        socket.send(text);
      });
    const times = [];
    for (let i = 0; i < 200; i++) await once(JSON.stringify({ kind: 'call', id: i }));
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await once(
        JSON.stringify({ kind: 'call', id: i, channel: 'app.ping', input: { sentAt: i } }),
      );
      times.push(performance.now() - t0);
    }
    socket.close();
    return times;
  },
  { url: echoUrl, calls: CALLS },
);

await browser.close();
await host.stop();
echo.close();

console.log(`bridge round trip, ${CALLS} sequential app.ping calls from Chromium`);
console.log(
  `  contract over the bridge   median ${fmt(median(bridge))}   p99 ${fmt(quantile(bridge, 0.99))}`,
);
console.log(
  `  baseline: bare ws echo     median ${fmt(median(baseline))}   p99 ${fmt(quantile(baseline, 0.99))}`,
);
console.log(`  ratio (median)             ${(median(bridge) / median(baseline)).toFixed(2)}x`);
