import { open, randomKey, seal, SealError } from '../../src-main/services/keystore/sealed-box';

describe('sealed box (AES-256-GCM)', () => {
  const key = randomKey();
  const secret = Buffer.from('the identity private key');

  it('opens what it sealed, with a fresh nonce each time', () => {
    const a = seal(key, secret, 'identity');
    const b = seal(key, secret, 'identity');
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, 'identity').equals(secret)).toBe(true);
    expect(a.includes(secret)).toBe(false);
  });

  it('does not open with a wrong key', () => {
    const sealed = seal(key, secret, 'identity');
    expect(() => open(randomKey(), sealed, 'identity')).toThrow(SealError);
  });

  it('rejects a tampered ciphertext, nonce, tag or version', () => {
    const sealed = seal(key, secret, 'identity');
    for (let index = 0; index < sealed.length; index++) {
      const copy = Buffer.from(sealed);
      copy.writeUInt8(copy.readUInt8(index) ^ 0x01, index);
      expect(() => open(key, copy, 'identity')).toThrow(SealError);
    }
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), 'identity')).toThrow(SealError);
    expect(() => open(key, Buffer.alloc(5), 'identity')).toThrow(SealError);
  });

  it('binds a value to its name: moved to another entry it does not open', () => {
    const sealed = seal(key, secret, 'identity.privateKey');
    expect(() => open(key, sealed, 'backup.key')).toThrow(SealError);
  });
});
