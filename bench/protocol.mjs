// A signed-in client of the wire protocol for the bench scripts (the server's own frames).
import crypto from 'node:crypto';
import WebSocket from 'ws';
import { loadModule } from './lib.mjs';

const { authChallengeText, dialedAddress } = await loadModule('src-shared/protocol/entities.ts');
const { PROTOCOL_VERSION } = await loadModule('src-shared/protocol/frames.ts');

export function open(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { maxPayload: 1 << 20 });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}
export function nextFrame(socket, match) {
  return new Promise((resolve) => {
    const on = (data) => {
      const frame = JSON.parse(data.toString());
      if (!match(frame)) return;
      socket.off('message', on);
      resolve(frame);
    };
    socket.on('message', on);
  });
}
let rid = 0;
/** Request ids, shared by everything that talks to the server in this process. */
export function nextRid() {
  return ++rid;
}
/** Per socket, the requests waiting for their answer: one listener parses each frame once. */
const waiting = new WeakMap();
function answerOf(socket, id) {
  let pending = waiting.get(socket);
  if (!pending) {
    pending = new Map();
    waiting.set(socket, pending);
    socket.on('message', (data) => {
      if (pending.size === 0) return;
      const frame = JSON.parse(data.toString());
      const resolve = frame.rid !== undefined ? pending.get(frame.rid) : undefined;
      if (!resolve) return;
      pending.delete(frame.rid);
      resolve(frame);
    });
  }
  return new Promise((resolve) => pending.set(id, resolve));
}
export async function ask(socket, frame) {
  const id = nextRid();
  const reply = answerOf(socket, id);
  socket.send(JSON.stringify({ ...frame, rid: id }));
  const answer = await reply;
  if (answer.t === 'error') throw new Error(`${frame.t}: ${answer.code} ${answer.message}`);
  return answer;
}
/** A new Ed25519 identity: its raw public key (base64) and a signer. */
export function keyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(spki.length - 32).toString('base64'),
    sign: (text) => crypto.sign(null, Buffer.from(text), privateKey).toString('base64'),
  };
}

export async function signedIn(url, name, key = keyPair()) {
  const socket = await open(url);
  const welcome = nextFrame(socket, (f) => f.t === 'welcome');
  const dialed = dialedAddress(url);
  const clientNonce = crypto.randomBytes(18).toString('base64url');
  socket.send(
    JSON.stringify({
      t: 'hello',
      v: PROTOCOL_VERSION,
      client: { name: 'bench', version: '1' },
      dialed,
      nonce: clientNonce,
    }),
  );
  const { serverKey, nonce } = await welcome;
  await ask(socket, {
    t: 'auth',
    name,
    publicKey: key.publicKey,
    signature: key.sign(authChallengeText({ dialed, serverKey, serverNonce: nonce, clientNonce })),
  });
  return socket;
}
