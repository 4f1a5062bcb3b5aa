// The baseline for bench/file-transfer.mjs: the plainest HTTPS copy of a file there is (PUT
// streams it to disk, GET streams it back), with the same certificate as the app's server.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const [certFile, keyFile, dir] = process.argv.slice(2);
const server = https.createServer(
  { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  (req, res) => {
    const file = path.join(dir, 'copy.bin');
    if (req.method === 'PUT')
      pipeline(req, fs.createWriteStream(file)).then(
        () => res.end('ok'),
        () => res.destroy(),
      );
    else {
      res.writeHead(200, { 'Content-Length': fs.statSync(file).size });
      fs.createReadStream(file).pipe(res);
    }
  },
);
server.listen(0, '127.0.0.1', () => console.log(`https://127.0.0.1:${server.address().port}/`));
