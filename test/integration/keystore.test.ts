import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createKeyFileStorage } from '../../src-main/platform/key-file-storage';
import type { SecretStorage } from '../../src-main/platform/platform';
import {
  Keystore,
  KeystoreLockedError,
  WrongPassphraseError,
} from '../../src-main/services/keystore/keystore';
import {
  IdentityKeystore,
  PRIVATE_KEY_ENTRY,
} from '../../src-main/services/identity/identity-keystore';
import { makeTempDir } from '../support/temp-dir';
import { startServices } from '../../src-main/services/container';
import { createNodePlatform } from '../../src-main/platform/node-platform';
import { startSignalingServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { waitFor } from '../support/ws-client';

/** Linux without a keyring: safeStorage's basic_text, which protects nothing. */
function basicText(dataDir: string): SecretStorage {
  return { ...createKeyFileStorage(dataDir), backend: 'basic_text', protects: false };
}

describe('keystore', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());
  let n = 0;
  const freshDir = () => {
    const dir = path.join(temp.dir, `k${++n}`);
    fs.mkdirSync(dir);
    return dir;
  };

  it('keeps secrets sealed on disk, in files only this user can read, across restarts', () => {
    const dir = freshDir();
    const secret = crypto.randomBytes(48);
    new Keystore(dir, createKeyFileStorage(dir)).set('server.token', secret);
    const file = path.join(dir, 'keys', 'keystore.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'keys', 'platform.key')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(secret.toString('base64'));
    const again = new Keystore(dir, createKeyFileStorage(dir));
    expect(again.status()).toMatchObject({
      state: 'open',
      backend: 'key_file',
      systemProtects: false,
    });
    expect(again.get('server.token')?.equals(secret)).toBe(true);
  });

  it('does not open a sealed value with a wrong key or after tampering', () => {
    const dir = freshDir();
    const store = new Keystore(dir, createKeyFileStorage(dir));
    store.set('a', Buffer.from('one'));
    store.set('b', Buffer.from('two'));
    const file = path.join(dir, 'keys', 'keystore.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Swapping two entries' ciphertexts: each is bound to its own name.
    [json.entries.a, json.entries.b] = [json.entries.b, json.entries.a];
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => new Keystore(dir, createKeyFileStorage(dir)).get('a')).toThrow(
      /wrong key or tampered/,
    );
    // A flipped bit in a ciphertext.
    const bytes = Buffer.from(json.entries.b, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    json.entries.b = bytes.toString('base64');
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => new Keystore(dir, createKeyFileStorage(dir)).get('b')).toThrow(
      /wrong key or tampered/,
    );
  });

  it('a changed keyring with a passphrase set: locked, the passphrase opens it, then it is re-wrapped', async () => {
    const dir = freshDir();
    const storage: SecretStorage = { ...createKeyFileStorage(dir), protects: true };
    const store = new Keystore(dir, storage);
    store.set('x', Buffer.from('kept'));
    await store.setPassphrase('correct horse battery');
    // The OS keyring now holds another key (a reinstall, a new login keyring).
    fs.writeFileSync(path.join(dir, 'keys', 'platform.key'), crypto.randomBytes(32));
    const changed = new Keystore(dir, { ...createKeyFileStorage(dir), protects: true });
    expect(changed.status()).toMatchObject({
      state: 'locked',
      problem: expect.stringMatching(/^keyring_failed/),
    });
    expect(() => changed.get('x')).toThrow(KeystoreLockedError);
    await expect(changed.unlock('wrong passphrase!')).rejects.toThrow(WrongPassphraseError);
    expect((await changed.unlock('correct horse battery')).state).toBe('open');
    expect(changed.get('x')?.toString()).toBe('kept');
    // Wrapped again for the current keyring: the next start needs no passphrase.
    expect(new Keystore(dir, { ...createKeyFileStorage(dir), protects: true }).status().state).toBe(
      'open',
    );
  });

  it('a lost keyring without a passphrase: lost, never a crash; a reset starts over', () => {
    const dir = freshDir();
    new Keystore(dir, createKeyFileStorage(dir)).set('x', Buffer.from('gone'));
    fs.rmSync(path.join(dir, 'keys', 'platform.key'));
    const lost = new Keystore(dir, createKeyFileStorage(dir));
    expect(lost.status().state).toBe('lost');
    expect(() => lost.get('x')).toThrow(KeystoreLockedError);
    expect(lost.reset().state).toBe('open');
    expect(lost.get('x')).toBeNull();
  });

  it('on basic_text a passphrase replaces the system wrap, so the disk alone does not open it', async () => {
    const dir = freshDir();
    const store = new Keystore(dir, basicText(dir));
    expect(store.status()).toMatchObject({
      backend: 'basic_text',
      systemProtects: false,
      protection: 'system',
    });
    store.set('x', Buffer.from('secret'));
    expect((await store.setPassphrase('a long passphrase')).protection).toBe('passphrase');
    const next = new Keystore(dir, basicText(dir));
    expect(next.status().state).toBe('locked');
    await next.unlock('a long passphrase');
    expect(next.get('x')?.toString()).toBe('secret');
  });

  it('moves a clear-text private key of an older identity file into the keystore', () => {
    const dir = freshDir();
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    fs.mkdirSync(path.join(dir, 'keys'));
    const legacy = {
      version: 1,
      displayName: 'Ann',
      publicKey: spki.subarray(spki.length - 32).toString('base64'),
      privateKey: pkcs8,
      createdAt: 1,
    };
    fs.writeFileSync(path.join(dir, 'keys', 'identity.json'), JSON.stringify(legacy));
    const secrets = new Keystore(dir, createKeyFileStorage(dir));
    const identity = new IdentityKeystore(dir, secrets);
    expect(identity.get()?.displayName).toBe('Ann');
    expect(fs.readFileSync(path.join(dir, 'keys', 'identity.json'), 'utf8')).not.toContain(pkcs8);
    expect(secrets.get(PRIVATE_KEY_ENTRY)?.toString('base64')).toBe(pkcs8);
    const signature = identity.sign('challenge');
    expect(
      crypto.verify(null, Buffer.from('challenge'), publicKey, Buffer.from(signature, 'base64')),
    ).toBe(true);
    // After a keystore reset the identity is gone: the user registers again.
    secrets.reset();
    expect(identity.get()).toBeNull();
  });
});

describe('keystore in the running app', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('with a passphrase the app starts locked, cannot sign in, and signs in once unlocked', async () => {
    const server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
    const start = () =>
      startServices({
        dataDir: path.join(temp.dir, 'app'),
        platform: createNodePlatform(),
        logger: silentLogger,
        host: 'web',
        serverUrlOverride: server.url,
      });
    const phase = async (s: Awaited<ReturnType<typeof start>>) =>
      ((await s.dispatch('sync.status', undefined)) as { value: { phase: string } }).value.phase;
    let services = await start();
    await services.dispatch('identity.create', { displayName: 'Locked Out' });
    await waitFor(async () => (await phase(services)) === 'ready', 10_000, 'signed in');
    const set = await services.dispatch('keystore.setPassphrase', { passphrase: 'open sesame 42' });
    expect(set).toMatchObject({ ok: true, value: { protection: 'passphrase', state: 'open' } });
    await services.stop();

    services = await start();
    expect(services.secrets.status().state).toBe('locked');
    // The public identity is still shown; signing in waits for the passphrase.
    expect(
      ((await services.dispatch('identity.get', undefined)) as { value: unknown }).value,
    ).toMatchObject({ displayName: 'Locked Out' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await phase(services)).not.toBe('ready');
    expect(services.monitor.tick().find((r) => r.key === 'keystore')?.state).toBe('breached');
    const wrong = await services.dispatch('keystore.unlock', { passphrase: 'open sesame 43' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const right = await services.dispatch('keystore.unlock', { passphrase: 'open sesame 42' });
    expect(right).toMatchObject({ ok: true, value: { state: 'open' } });
    await waitFor(
      async () => (await phase(services)) === 'ready',
      10_000,
      'signed in after unlock',
    );
    await services.stop();
    await server.close();
  }, 60_000);
});
