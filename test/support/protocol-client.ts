/** Speaks the wire protocol as a signed-in user would, for tests that talk to the server directly. */
import crypto from 'node:crypto';
import { authChallengeText, dialedAddress } from '../../src-shared/protocol/entities';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/frames';
import { connectFrames, type FrameClient } from './ws-client';

export type Frame = Record<string, unknown> & { t: string };

export function keyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(spki.length - 32).toString('base64'),
    sign: (text: string) => crypto.sign(null, Buffer.from(text), privateKey).toString('base64'),
  };
}

let rid = 0;

/** Sends a request and waits for the frame that answers it. */
export async function ask(client: FrameClient, frame: Frame): Promise<Frame> {
  const id = ++rid;
  client.send({ ...frame, rid: id });
  return client.next<Frame>((f) => f.rid === id);
}

/** A session's opening as the app sees it: the welcome, and what the hello said. */
export interface Opened {
  client: FrameClient;
  welcome: Frame;
  dialed: string;
  clientNonce: string;
}

/** The hello the app sends to `url` (raw, for tests that speak frames themselves). */
export function helloFor(url: string, name = 't') {
  return {
    t: 'hello',
    v: PROTOCOL_VERSION,
    client: { name, version: '1' },
    dialed: dialedAddress(url),
    nonce: crypto.randomBytes(18).toString('base64url'),
  };
}

/** Says hello as the app does: the address it dialed (normalized) and a nonce of its own. */
export async function connectHello(url: string, dialed = url): Promise<Opened> {
  // A protocol-level client: the standalone server's certificate is self-signed (the app checks
  // it against the welcome; see server-connection), which this client does not need to.
  const client = await connectFrames(
    url,
    url.startsWith('wss:') ? { rejectUnauthorized: false } : {},
  );
  const clientNonce = crypto.randomBytes(18).toString('base64url');
  const address = dialedAddress(dialed);
  client.send({
    t: 'hello',
    v: PROTOCOL_VERSION,
    client: { name: 't', version: '1' },
    dialed: address,
    nonce: clientNonce,
  });
  const welcome = await client.next<Frame>((f) => f.t === 'welcome' || f.t === 'error');
  if (welcome.t !== 'welcome') throw new Error(`hello refused: ${JSON.stringify(welcome)}`);
  return { client, welcome, dialed: address, clientNonce };
}

/** The text a key signs to sign in on this session (authChallengeText of its values). */
export function challengeOf(opened: Omit<Opened, 'client'>): string {
  return authChallengeText({
    dialed: opened.dialed,
    serverKey: String(opened.welcome.serverKey),
    serverNonce: String(opened.welcome.nonce),
    clientNonce: opened.clientNonce,
  });
}

export async function signedIn(url: string, name: string, key = keyPair()) {
  const opened = await connectHello(url);
  const { client } = opened;
  const authed = await ask(client, {
    t: 'auth',
    name,
    publicKey: key.publicKey,
    signature: key.sign(challengeOf(opened)),
  });
  if (authed.t !== 'authed') throw new Error(`sign-in failed: ${JSON.stringify(authed)}`);
  return { client, key, userId: String(authed.userId), token: String(authed.token) };
}
