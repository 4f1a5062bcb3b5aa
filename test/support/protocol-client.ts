/** Speaks the wire protocol as a signed-in user would, for tests that talk to the server directly. */
import crypto from 'node:crypto';
import { authChallengeText } from '../../src-shared/protocol/entities';
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

export async function connectHello(url: string): Promise<{ client: FrameClient; welcome: Frame }> {
  const client = await connectFrames(url);
  client.send({ t: 'hello', v: PROTOCOL_VERSION, client: { name: 't', version: '1' } });
  const welcome = await client.next<Frame>((f) => f.t === 'welcome');
  return { client, welcome };
}

export async function signedIn(url: string, name: string, key = keyPair()) {
  const { client, welcome } = await connectHello(url);
  const authed = await ask(client, {
    t: 'auth',
    name,
    publicKey: key.publicKey,
    signature: key.sign(authChallengeText(String(welcome.serverId), String(welcome.nonce))),
  });
  if (authed.t !== 'authed') throw new Error(`sign-in failed: ${JSON.stringify(authed)}`);
  return { client, key, userId: String(authed.userId), token: String(authed.token) };
}
