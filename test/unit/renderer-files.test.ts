import path from 'node:path';
import { contentType, resolveInside } from '../../src-main/services/renderer-files/renderer-files';

describe('resolveInside', () => {
  const root = path.resolve('/srv/renderer');

  it('resolves paths inside the folder', () => {
    expect(resolveInside(root, '/assets/index.js')).toBe(path.join(root, 'assets', 'index.js'));
    expect(resolveInside(root, '/a/../b.css')).toBe(path.join(root, 'b.css'));
  });

  it('never leaves the folder', () => {
    for (const attempt of [
      '/../../etc/passwd',
      '/..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..\\..\\etc\\passwd',
    ]) {
      const resolved = resolveInside(root, attempt);
      expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
    }
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull();
    expect(resolveInside(root, '/a%00.js')).toBeNull();
  });

  it('knows the content types the renderer uses', () => {
    expect(contentType('x.js')).toMatch(/javascript/);
    expect(contentType('x.wasm')).toBe('application/wasm');
    expect(contentType('x.unknown')).toBe('application/octet-stream');
  });
});
