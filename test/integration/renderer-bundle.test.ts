import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../support/processes';

// The built renderer in dist/ (npm test builds first): what the page must load before its first
// screen. zod and the IPC schemas belong to the preload and to later screens, not to this.
describe('renderer bundle', () => {
  const dir = path.join(ROOT, 'dist', 'renderer');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) =>
    path.join(dir, m[1]!),
  );

  it('lists its initial scripts in index.html', () => {
    expect(initial.length).toBeGreaterThan(1);
    for (const file of initial) expect(fs.existsSync(file)).toBe(true);
  });

  it('starts without zod or the protocol schemas', () => {
    const sources = initial.flatMap((file) =>
      fs.existsSync(`${file}.map`)
        ? (JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources
        : [],
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
    expect(
      sources.filter((s) => /src-shared\/(protocol\/(entities|calls)|ipc\/\w+-types)\.ts$/.test(s)),
    ).toEqual([]);
  });

  it('keeps its initial JavaScript under 300 KB gzipped', () => {
    const bytes = initial.reduce(
      (sum, file) => sum + zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length,
      0,
    );
    expect(bytes).toBeLessThan(300 * 1024);
  });
});
