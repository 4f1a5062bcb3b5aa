import fs from 'node:fs';
import path from 'node:path';
import { renderIpcDoc } from '../../src-shared/ipc/contract-doc';
import { channelNames, eventNames } from '../../src-shared/ipc/contract';

describe('docs/ipc.md', () => {
  const doc = renderIpcDoc();

  it('documents every channel and event', () => {
    for (const name of [...channelNames, ...eventNames]) expect(doc).toContain(`### \`${name}\``);
  });

  it('is up to date with the contract (run `npm run docs` after changing it)', () => {
    const file = path.join(__dirname, '..', '..', 'docs', 'ipc.md');
    expect(fs.readFileSync(file, 'utf8')).toBe(doc);
  });
});
