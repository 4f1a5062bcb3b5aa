import {
  APP_ENTRY_URL,
  decidePermission,
  externalLinkTarget,
  isAppUrl,
  isTrustedSender,
  mayNavigate,
} from '../../src-main/electron/guards';

describe('Electron guards', () => {
  it('recognises only the app origin as the app', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://beseda/assets/index.js')).toBe(true);
    for (const url of [
      'app://evil/index.html',
      'https://beseda/',
      'file:///index.html',
      'http://127.0.0.1:5180/',
      'about:blank',
      'not a url',
      '',
      undefined,
      null,
    ]) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it('trusts IPC only from app frames and blocks navigation elsewhere', () => {
    expect(isTrustedSender('app://beseda/index.html#/settings')).toBe(true);
    expect(isTrustedSender('https://example.com/')).toBe(false);
    expect(mayNavigate('https://example.com/')).toBe(false);
    expect(mayNavigate('app://beseda/index.html')).toBe(true);
  });

  it('grants media and display capture to the app only', () => {
    expect(decidePermission('media', APP_ENTRY_URL)).toBe(true);
    expect(decidePermission('display-capture', APP_ENTRY_URL)).toBe(true);
    expect(decidePermission('media', 'https://example.com/')).toBe(false);
    for (const permission of [
      'geolocation',
      'notifications',
      'midi',
      'openExternal',
      'clipboard-read',
    ]) {
      expect(decidePermission(permission, APP_ENTRY_URL)).toBe(false);
    }
  });

  it('opens only web and mail links outside the app', () => {
    expect(externalLinkTarget('https://example.com/a?b')).toBe('https://example.com/a?b');
    expect(externalLinkTarget('mailto:team@example.com')).toBe('mailto:team@example.com');
    expect(externalLinkTarget('file:///etc/passwd')).toBeNull();
    expect(externalLinkTarget('javascript:alert(1)')).toBeNull();
    expect(externalLinkTarget('smb://server/share')).toBeNull();
  });
});
