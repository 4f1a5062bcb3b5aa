/**
 * docs/protocol.md shows the handshake people copy into their own clients: its hello and welcome
 * must be frames of the version the server speaks (the reviewer found a "v": 2 example that the
 * server closed the connection on).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ClientHello, PROTOCOL_VERSION, ServerWelcome } from '../../src-shared/protocol/frames';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');

/** The first `{...}` after `"t":"<type>"`-bearing backticks in the doc. */
function example(type: string): Record<string, unknown> {
  const match = new RegExp('`(\\{"t":"' + type + '"[^`]*\\})`').exec(doc);
  if (!match) throw new Error(`docs/protocol.md shows no ${type} frame`);
  // Placeholders (<ms>, <client nonce>) become values of the right kind.
  const json = match[1]!
    .replace(/<ms>/g, '1')
    .replace(/"<client nonce>"|"<server nonce>"/g, '"abcdefghijklmnopqrstuvwx"')
    .replace(/"<raw Ed25519 key, base64>"/g, `"${'A'.repeat(43)}="`)
    .replace(/"<base64>"/g, `"${'B'.repeat(86)}=="`)
    .replace(/"<sha-256 hex>"/g, `"${'c'.repeat(64)}"`)
    .replace(/"<uuid>"/g, '"00000000-0000-0000-0000-000000000000"');
  return JSON.parse(json) as Record<string, unknown>;
}

describe('docs/protocol.md', () => {
  it('names the protocol version the server speaks', () => {
    expect(doc).toContain(`# Client–server wire protocol (version ${PROTOCOL_VERSION})`);
  });

  it('shows a hello and a welcome of that version that the schemas accept', () => {
    const hello = example('hello');
    expect(hello.v).toBe(PROTOCOL_VERSION);
    expect(ClientHello.safeParse(hello).success).toBe(true);
    expect(hello).toHaveProperty('dialed');
    expect(hello).toHaveProperty('nonce');
    const welcome = example('welcome');
    expect(welcome.v).toBe(PROTOCOL_VERSION);
    expect(ServerWelcome.safeParse(welcome).success).toBe(true);
  });
});
